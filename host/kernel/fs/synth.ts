// Synthetic nodes for /dev and /proc: directories whose entries are computed,
// read-only text files generated at open, symlinks, magic links to open
// files, and character devices.
import { EACCES, ENOENT, ENOTDIR } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { O_ACCMODE, O_DIRECTORY, O_RDONLY, OpenFile } from "./file.js";
import { Node, newStat, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, type Caller, type DirEntry } from "./node.js";
import { DirFile, RegularFile } from "./regular.js";

const SYNTH_DEV = 0x16; // what /proc and /dev report as st_dev

const ROOT = { uid: 0, gid: 0 };
const stamp = (mode: number) => newStat(mode, SYNTH_DEV, ROOT, 0);

abstract class SynthNode extends Node {
  readonly fsId = SYNTH_DEV;
  constructor(protected st: HostStat) { super(); }
  stat(): HostStat { return this.st; }
}

export interface SynthChildren {
  names(who: Caller): string[];
  get(name: string, who: Caller): Node | null;
}

export class SynthDir extends SynthNode {
  constructor(private children: SynthChildren, private parentIno: () => number = () => 1, mode = 0o555) {
    super(stamp(S_IFDIR | mode));
  }
  lookup(name: string, who: Caller): Node | number { return this.children.get(name, who) ?? -ENOENT; }
  list(who: Caller): DirEntry[] {
    const out: DirEntry[] = [];
    for (const name of this.children.names(who)) {
      const n = this.children.get(name, who);
      if (n) { const st = n.stat(); out.push({ name, ino: st.ino, type: st.mode >> 12 }); }
    }
    return out;
  }
  create(): number { return -EACCES; }
  mkdir(): number { return -EACCES; }
  symlink(): number { return -EACCES; }
  link(): number { return -EACCES; }
  unlink(): number { return -EACCES; }
  rmdir(): number { return -EACCES; }
  rename(): number { return -EACCES; }
  open(flags: number, path: string, who: Caller): OpenFile | number {
    return new DirFile(flags, path, this, who, this.parentIno);
  }
}

// A fixed table of children.
export function fixedChildren(entries: Record<string, Node>): SynthChildren {
  return { names: () => Object.keys(entries), get: (name) => entries[name] ?? null };
}

// Read-only text generated when opened (so one open sees one consistent snapshot).
export class TextNode extends SynthNode {
  constructor(private gen: () => string) { super(stamp(S_IFREG | 0o444)); }
  open(flags: number, path: string): OpenFile | number {
    if ((flags & O_ACCMODE) !== O_RDONLY) return -EACCES;
    if (flags & O_DIRECTORY) return -ENOTDIR;
    const bytes = new TextEncoder().encode(this.gen());
    return new RegularFile(flags, path, this, {
      size: () => bytes.length,
      read: (pos, len) => bytes.slice(Math.min(pos, bytes.length), Math.min(bytes.length, pos + len)),
      write: () => -EACCES,
      truncate: () => -EACCES,
    });
  }
}

export class SynthSymlink extends SynthNode {
  constructor(private target: () => string | null) { super(stamp(S_IFLNK | 0o777)); }
  readlink(): string | number { return this.target() ?? -ENOENT; }
  open(): number { return -40; } // ELOOP
}

// A node standing for an open file that has no node of its own (a pipe, a tty).
export class OpenFileNode extends SynthNode {
  constructor(private file: OpenFile) { super(file.stat()); }
  stat(): HostStat { return this.file.stat(); }
  open(flags: number): OpenFile | number { return this.file.reopen(flags) ?? this.file; }
}

// /proc/<pid>/fd/N: reads as a symlink to the file's name; opening it reaches the open file itself.
export class FdLink extends SynthNode {
  constructor(private file: OpenFile) { super(stamp(S_IFLNK | 0o700)); }
  readlink(): string { return this.file.path; }
  follow(): { node: Node; path: string } {
    return { node: this.file.node ?? new OpenFileNode(this.file), path: this.file.path };
  }
  open(): number { return -40; }
}

export class DeviceNode extends SynthNode {
  constructor(rdev: number, private make: (flags: number, path: string, who: Caller) => OpenFile | number, mode = 0o666) {
    super(stamp(S_IFCHR | mode));
    this.st.rdev = rdev;
  }
  open(flags: number, path: string, who: Caller): OpenFile | number {
    if (flags & O_DIRECTORY) return -ENOTDIR;
    const f = this.make(flags, path, who);
    if (typeof f !== "number") f.node = this;
    return f;
  }
}
