// Open file descriptions: what an fd points at. Shared (with their offset and
// status flags) by every fd that dup or fork made from the same open().
import { EBADF, EINVAL, ENOTTY, ESPIPE } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";

// A syscall that must wait returns BLOCKED after queueing its process; the
// kernel runs the syscall again when the process is woken.
export const BLOCKED = Symbol("blocked");
export type IoResult = number | typeof BLOCKED;
export type ReadResult = Uint8Array | number | typeof BLOCKED;

export const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
export const O_APPEND = 0x400, O_NONBLOCK = 0x800;

export abstract class OpenFile {
  refs = 0;
  offset = 0;
  constructor(public flags: number, public path: string) {}

  readable(): boolean { return (this.flags & O_ACCMODE) !== O_WRONLY; }
  writable(): boolean { return (this.flags & O_ACCMODE) !== O_RDONLY; }

  // `wake` is called when a blocked read or write may now succeed.
  read(_len: number, _wake: () => void): ReadResult { return -EBADF; }
  write(_data: Uint8Array, _wake: () => void): IoResult { return -EBADF; }
  pread(_len: number, _pos: number): Uint8Array | number { return -ESPIPE; }
  seek(_off: number, _whence: number): number { return -ESPIPE; }
  abstract stat(): HostStat;
  ioctl(_req: number, _arg: number): number { return -ENOTTY; }
  isTty(): boolean { return false; }
  // Called when the last fd referring to this description closes.
  release(): void {}
}

export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

// A seekable file whose contents are all in memory (host files are read-only for now).
export class MemoryFile extends OpenFile {
  constructor(flags: number, path: string, private data: Uint8Array, private st: HostStat) {
    super(flags, path);
  }
  read(len: number): ReadResult {
    const out = this.data.subarray(this.offset, Math.min(this.data.length, this.offset + len));
    this.offset += out.length;
    return out;
  }
  pread(len: number, pos: number): Uint8Array | number {
    return this.data.subarray(Math.min(pos, this.data.length), Math.min(this.data.length, pos + len));
  }
  seek(off: number, whence: number): number {
    const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? this.offset : whence === SEEK_END ? this.data.length : NaN;
    const pos = base + off;
    if (!(pos >= 0)) return -EINVAL;
    this.offset = pos;
    return pos;
  }
  stat(): HostStat { return this.st; }
}
