// In-memory nodes: what the overlay holds (files, directories and symlinks the
// guest created or changed on a read-only mount).
import { EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, EXDEV } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { O_DIRECTORY, type OpenFile } from "./file.js";
import { isDir, Node, newStat, S_IFDIR, S_IFLNK, S_IFREG, type Caller, type DirEntry, type Times } from "./node.js";
import { DirFile, RegularFile, type Contents } from "./regular.js";

// Shared by every in-memory node: the clock and the device number they report.
export interface MemFs {
  readonly dev: number;
  now(): number;
  // rename out of a MemDir into another kind of directory (an overlay's host directory).
  moveOut?(from: MemDir, name: string, to: Node, newName: string): number;
}

export abstract class MemNode extends Node {
  readonly st: HostStat;
  readonly fsId: number;
  constructor(readonly fs: MemFs, mode: number, who: { uid: number; gid: number }) {
    super();
    this.st = newStat(mode, fs.dev, who, fs.now());
    this.fsId = fs.dev;
  }
  stat(): HostStat { return this.st; }
  chmod(mode: number): number {
    this.st.mode = (this.st.mode & ~0o7777) | (mode & 0o7777);
    this.st.ctimeMs = this.fs.now();
    return 0;
  }
  chown(uid: number, gid: number): number {
    if (uid !== -1) this.st.uid = uid;
    if (gid !== -1) this.st.gid = gid;
    this.st.ctimeMs = this.fs.now();
    return 0;
  }
  utimes(t: Times): number {
    if (t.atimeMs !== undefined) this.st.atimeMs = t.atimeMs;
    if (t.mtimeMs !== undefined) this.st.mtimeMs = t.mtimeMs;
    this.st.ctimeMs = this.fs.now();
    return 0;
  }
  touch(): void { this.st.mtimeMs = this.st.ctimeMs = this.fs.now(); }
}

export class MemFile extends MemNode implements Contents {
  private buf = new Uint8Array(0);
  private len = 0;
  constructor(fs: MemFs, mode: number, who: { uid: number; gid: number }, data?: Uint8Array) {
    super(fs, S_IFREG | (mode & 0o7777), who);
    if (data) this.write(0, data);
  }
  size(): number { return this.len; }
  read(pos: number, len: number): Uint8Array {
    const s = Math.min(pos, this.len);
    return this.buf.slice(s, Math.min(this.len, pos + len));
  }
  write(pos: number, data: Uint8Array): number {
    const end = pos + data.length;
    if (end > this.buf.length) this.grow(end);
    this.buf.set(data, pos);
    if (end > this.len) this.len = end;
    this.sync();
    return data.length;
  }
  truncate(len: number): number {
    if (len < 0) return -EINVAL;
    if (len > this.buf.length) this.grow(len);
    else this.buf.fill(0, len, this.len);
    this.len = len;
    this.sync();
    return 0;
  }
  private grow(min: number): void {
    const b = new Uint8Array(Math.max(min, this.buf.length * 2, 4096));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  private sync(): void {
    this.st.size = this.len;
    this.st.blocks = Math.ceil(this.len / 4096) * 8;
    this.touch();
  }
  open(flags: number, path: string): OpenFile | number {
    return flags & O_DIRECTORY ? -ENOTDIR : new RegularFile(flags, path, this, this);
  }
}

export class MemSymlink extends MemNode {
  constructor(fs: MemFs, readonly target: string, who: { uid: number; gid: number }) {
    super(fs, S_IFLNK | 0o777, who);
    this.st.size = new TextEncoder().encode(target).length;
  }
  readlink(): string { return this.target; }
  open(): number { return -ELOOP_OPEN; }
}
const ELOOP_OPEN = 40; // opening a symlink itself (O_NOFOLLOW) fails with ELOOP

// A directory kept entirely in memory. `parent` answers ".." in getdents.
export class MemDir extends MemNode {
  readonly children = new Map<string, MemNode>();
  constructor(fs: MemFs, mode: number, who: { uid: number; gid: number }, public parentIno: () => number) {
    super(fs, S_IFDIR | (mode & 0o7777), who);
  }
  lookup(name: string): Node | number { return this.children.get(name) ?? -ENOENT; }
  list(): DirEntry[] {
    return [...this.children].map(([name, n]) => ({ name, ino: n.st.ino, type: n.st.mode >> 12 }));
  }
  private add(name: string, n: MemNode): void {
    this.children.set(name, n);
    if (isDir(n.st.mode)) this.st.nlink++;
    this.touch();
  }
  private remove(name: string): MemNode | undefined {
    const n = this.children.get(name);
    if (!n) return undefined;
    this.children.delete(name);
    if (isDir(n.st.mode)) this.st.nlink--;
    this.touch();
    return n;
  }
  create(name: string, mode: number, who: Caller): Node | number {
    if (this.children.has(name)) return -EEXIST;
    const f = new MemFile(this.fs, mode, who);
    this.add(name, f);
    return f;
  }
  mkdir(name: string, mode: number, who: Caller): number {
    if (this.children.has(name)) return -EEXIST;
    const self = this.st;
    this.add(name, new MemDir(this.fs, mode, who, () => self.ino));
    return 0;
  }
  symlink(name: string, target: string, who: Caller): number {
    if (this.children.has(name)) return -EEXIST;
    this.add(name, new MemSymlink(this.fs, target, who));
    return 0;
  }
  link(name: string, target: Node): number {
    if (!(target instanceof MemNode) || target.fsId !== this.fsId) return -EXDEV;
    if (this.children.has(name)) return -EEXIST;
    target.st.nlink++;
    target.st.ctimeMs = this.fs.now();
    this.add(name, target);
    return 0;
  }
  unlink(name: string): number {
    const n = this.children.get(name);
    if (!n) return -ENOENT;
    if (isDir(n.st.mode)) return -EISDIR;
    this.remove(name);
    n.st.nlink--;
    n.st.ctimeMs = this.fs.now();
    return 0;
  }
  rmdir(name: string): number {
    const n = this.children.get(name);
    if (!n) return -ENOENT;
    if (!(n instanceof MemDir)) return -ENOTDIR;
    if (n.children.size) return -ENOTEMPTY;
    this.remove(name);
    n.st.nlink = 0;
    return 0;
  }
  // Put a node that already exists elsewhere (rename, overlay copy-up) at name.
  place(name: string, n: MemNode): void {
    this.remove(name);
    this.add(name, n);
    if (n instanceof MemDir) { const self = this.st; n.parentIno = () => self.ino; }
  }
  rename(name: string, dir: Node, newName: string): number {
    if (!(dir instanceof MemDir)) return this.fs.moveOut?.(this, name, dir, newName) ?? -EXDEV;
    if (dir.fs !== this.fs) return -EXDEV;
    const n = this.children.get(name);
    if (!n) return -ENOENT;
    const replaced = replaceCheck(n, dir.children.get(newName));
    if (replaced) return replaced;
    if (n === dir.children.get(newName)) return 0;
    this.remove(name);
    dir.place(newName, n);
    return 0;
  }
  open(flags: number, path: string, who: Caller): OpenFile | number {
    return new DirFile(flags, path, this, who, this.parentIno);
  }
}

// rename(2)'s rules for replacing an existing target, or 0 when allowed.
export function replaceCheck(src: Node, dst: Node | undefined | number): number {
  if (dst === undefined || typeof dst === "number") return 0;
  const sd = isDir(src.mode), dd = isDir(dst.mode);
  if (sd && !dd) return -ENOTDIR;
  if (!sd && dd) return -EISDIR;
  if (dd && dst instanceof MemDir && dst.children.size) return -ENOTEMPTY;
  return 0;
}
