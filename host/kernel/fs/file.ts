// Open file descriptions: what an fd points at. Shared (with their offset and
// status flags) by every fd that dup or fork made from the same open().
import { EBADF, EINVAL, ENOTTY, ESPIPE } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import type { Node } from "./node.js";
import type { GuestMemory } from "../../core/memory.js";

// A syscall that must wait returns BLOCKED after queueing its process; the
// kernel runs the syscall again when the process is woken.
export const BLOCKED = Symbol("blocked");
export type IoResult = number | typeof BLOCKED;
export type ReadResult = Uint8Array | number | typeof BLOCKED;

export const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
export const O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100, O_TRUNC = 0x200, O_APPEND = 0x400,
  O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000, O_PATH = 0x200000,
  O_TMPFILE = 0x400000;
// i386 and x86-64 open() add O_LARGEFILE themselves (F_GETFL shows it).
export const O_LARGEFILE = 0x8000;

// poll(2) event bits.
export const POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20,
  POLLRDNORM = 0x40, POLLWRNORM = 0x100;

// Processes waiting for a file to change state. Waking is a hint: a woken
// syscall runs again and re-checks, so spurious wake-ups are harmless.
export class WaitQueue {
  private waiters = new Set<() => void>();
  add(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => { this.waiters.delete(fn); };
  }
  wakeAll(): void {
    const w = [...this.waiters];
    this.waiters.clear();
    for (const f of w) f();
  }
}

export abstract class OpenFile {
  refs = 0;
  offset = 0;
  // The file-system node it was opened from (fstat, fchdir, /proc/<pid>/fd); null for pipes.
  node: Node | null = null;
  constructor(public flags: number, public path: string) {}

  readable(): boolean { return (this.flags & O_ACCMODE) !== O_WRONLY && !(this.flags & O_PATH); }
  writable(): boolean { return (this.flags & O_ACCMODE) !== O_RDONLY && !(this.flags & O_PATH); }
  nonblocking(): boolean { return (this.flags & O_NONBLOCK) !== 0; }

  // BLOCKED: nothing yet; subscribe() says when to try again.
  read(_len: number): ReadResult { return -EBADF; }
  write(_data: Uint8Array): IoResult { return -EBADF; }
  pread(_len: number, _pos: number): Uint8Array | number { return -ESPIPE; }
  pwrite(_data: Uint8Array, _pos: number): number { return -ESPIPE; }
  seek(_off: number, _whence: number): number { return -ESPIPE; }
  truncate(_len: number): number { return -EINVAL; }
  abstract stat(): HostStat;
  ioctl(_req: number, _arg: number, _mem: GuestMemory): number { return -ENOTTY; }
  // Bytes a read could return now (FIONREAD); null where FIONREAD does not apply.
  unread(): number | null { return null; }
  // Blocking writes wait until every byte is taken (pipes), rather than return a short count.
  writesWhole(): boolean { return false; }
  isTty(): boolean { return false; }
  // Ready events (POLLIN, POLLOUT, POLLHUP, POLLERR) right now.
  poll(): number { return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM; }
  // Call fn once when poll() may have changed; returns a canceller.
  subscribe(_fn: () => void): () => void { return () => {}; }
  // A new description of the same object (opening /proc/<pid>/fd/N); null: share this one.
  reopen(_flags: number): OpenFile | null { return null; }
  // Called when the last fd referring to this description closes.
  release(): void {}
}

export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

// The new offset for lseek on a file of the given size, or -EINVAL.
export function seekPos(offset: number, size: number, off: number, whence: number): number {
  let base: number;
  switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = offset; break;
    case SEEK_END: base = size; break;
    case SEEK_DATA: if (off >= size) return -6; base = 0; break; // ENXIO past the end
    case SEEK_HOLE: if (off >= size) return -6; return size;
    default: return -EINVAL;
  }
  const pos = base + off;
  return pos >= 0 && pos <= Number.MAX_SAFE_INTEGER ? pos : -EINVAL;
}
