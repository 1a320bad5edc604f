// Open regular files and directories. A regular file reads and writes its
// node's Contents at the shared offset; a directory lists its node for getdents.
import { EBADF, EFBIG, EINVAL, EISDIR } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { O_APPEND, OpenFile, SEEK_CUR, SEEK_SET, seekPos, type ReadResult } from "./file.js";
import type { Caller, DirEntry, Node } from "./node.js";

// The bytes of a regular file, wherever they live (memory or a host file).
export interface Contents {
  size(): number;
  read(pos: number, len: number): Uint8Array | number;
  write(pos: number, data: Uint8Array): number;
  truncate(len: number): number;
  close?(): void;
}

const MAX_FILE = 2 ** 40; // what the in-memory overlay allows; larger writes get EFBIG

export class RegularFile extends OpenFile {
  constructor(flags: number, path: string, node: Node, private data: Contents) {
    super(flags, path);
    this.node = node;
  }
  read(len: number): ReadResult {
    const r = this.data.read(this.offset, len);
    if (typeof r !== "number") this.offset += r.length;
    return r;
  }
  write(data: Uint8Array): number {
    if (this.flags & O_APPEND) this.offset = this.data.size();
    const n = this.pwrite(data, this.offset);
    if (n > 0) this.offset += n;
    return n;
  }
  pread(len: number, pos: number): Uint8Array | number { return this.data.read(pos, len); }
  pwrite(data: Uint8Array, pos: number): number {
    if (pos + data.length > MAX_FILE) return -EFBIG;
    // Linux quirk kept: pwrite on an O_APPEND file appends.
    return this.data.write(this.flags & O_APPEND ? this.data.size() : pos, data);
  }
  seek(off: number, whence: number): number {
    const pos = seekPos(this.offset, this.data.size(), off, whence);
    if (pos >= 0) this.offset = pos;
    return pos;
  }
  truncate(len: number): number { return this.data.truncate(len); }
  unread(): number { return Math.max(0, this.data.size() - this.offset); }
  stat(): HostStat { return this.node!.stat(); }
  release(): void { this.data.close?.(); }
}

// An open directory: getdents reads entries from a snapshot taken at offset 0.
export class DirFile extends OpenFile {
  private entries: DirEntry[] | null = null;
  constructor(flags: number, path: string, node: Node, private who: Caller, private parentIno: () => number) {
    super(flags, path);
    this.node = node;
  }
  read(): ReadResult { return -EISDIR; }
  write(): number { return -EBADF; }
  // Entries from the current offset on, "." and ".." first, as Linux lists them.
  listing(): DirEntry[] | number {
    if (this.entries === null || this.offset === 0) {
      const l = this.node!.list(this.who);
      if (typeof l === "number") return l;
      const self = this.node!.stat().ino;
      this.entries = [{ name: ".", ino: self, type: 4 }, { name: "..", ino: this.parentIno(), type: 4 }, ...l];
    }
    return this.entries.slice(this.offset);
  }
  seek(off: number, whence: number): number {
    if (whence !== SEEK_SET && whence !== SEEK_CUR) return -EINVAL;
    const pos = seekPos(this.offset, 0, off, whence);
    if (pos >= 0) this.offset = pos;
    return pos;
  }
  stat(): HostStat { return this.node!.stat(); }
}
