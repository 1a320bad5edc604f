// Pipes, buffered as Linux does: up to 16 page-sized buffers (64 KiB). A write
// first tries to append its sub-page tail to the last buffer, then fills fresh
// pages, so writes of up to PIPE_BUF (a page) are atomic and the capacity seen
// by non-blocking writers matches Linux's.
import { EPIPE } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { BLOCKED, O_RDONLY, O_WRONLY, OpenFile, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM,
  WaitQueue, type IoResult, type ReadResult } from "./file.js";
import { newStat, S_IFIFO } from "./node.js";

const PAGE = 4096;
const PIPE_BUFFERS = 16; // 64 KiB, the default pipe capacity
const PIPEFS_DEV = 0xd;

interface Buf { data: Uint8Array; off: number; len: number; }

export class Pipe {
  private bufs: Buf[] = [];
  readers = 0;
  writers = 0;
  readonly waiters = new WaitQueue();
  readonly st: HostStat;

  constructor(who: { uid: number; gid: number }, nowMs: number) {
    this.st = newStat(S_IFIFO | 0o600, PIPEFS_DEV, who, nowMs);
    this.st.blksize = PAGE;
  }

  get available(): number {
    let n = 0;
    for (const b of this.bufs) n += b.len;
    return n;
  }
  get full(): boolean { return this.bufs.length >= PIPE_BUFFERS; }

  // Take up to len bytes (at least one: callers check available first).
  take(len: number): Uint8Array {
    const out = new Uint8Array(Math.min(len, this.available));
    let o = 0;
    while (o < out.length) {
      const b = this.bufs[0];
      const n = Math.min(b.len, out.length - o);
      out.set(b.data.subarray(b.off, b.off + n), o);
      o += n;
      b.off += n;
      b.len -= n;
      if (b.len === 0) this.bufs.shift();
    }
    this.waiters.wakeAll();
    return out;
  }

  // Store as much of data as fits; returns the count (0 when full).
  put(data: Uint8Array): number {
    let done = 0;
    const tail = data.length % PAGE;
    const last = this.bufs[this.bufs.length - 1];
    if (tail && last && last.off + last.len + tail <= PAGE) {
      last.data.set(data.subarray(0, tail), last.off + last.len);
      last.len += tail;
      done = tail;
    }
    while (done < data.length && !this.full) {
      const n = Math.min(PAGE, data.length - done);
      const page = new Uint8Array(PAGE);
      page.set(data.subarray(done, done + n));
      this.bufs.push({ data: page, off: 0, len: n });
      done += n;
    }
    if (done) this.waiters.wakeAll();
    return done;
  }
}

abstract class PipeEnd extends OpenFile {
  constructor(flags: number, readonly pipe: Pipe) {
    super(flags, `pipe:[${pipe.st.ino}]`);
  }
  stat(): HostStat { return this.pipe.st; }
  subscribe(fn: () => void): () => void { return this.pipe.waiters.add(fn); }
  unread(): number { return this.pipe.available; }
  reopen(flags: number): OpenFile | null {
    const mode = flags & 3;
    return mode === O_RDONLY ? new PipeReader(flags, this.pipe) : mode === O_WRONLY ? new PipeWriter(flags, this.pipe) : null;
  }
}

export class PipeReader extends PipeEnd {
  constructor(flags: number, pipe: Pipe) {
    super((flags & ~3) | O_RDONLY, pipe);
    pipe.readers++;
  }
  read(len: number): ReadResult {
    if (this.pipe.available) return this.pipe.take(len);
    return this.pipe.writers ? BLOCKED : new Uint8Array(0);
  }
  poll(): number {
    return (this.pipe.available ? POLLIN | POLLRDNORM : 0) | (this.pipe.writers ? 0 : POLLHUP);
  }
  release(): void {
    this.pipe.readers--;
    this.pipe.waiters.wakeAll();
  }
}

export class PipeWriter extends PipeEnd {
  constructor(flags: number, pipe: Pipe) {
    super((flags & ~3) | O_WRONLY, pipe);
    pipe.writers++;
  }
  // -EPIPE when no reader is left (the caller raises SIGPIPE); BLOCKED when full.
  write(data: Uint8Array): IoResult {
    if (!this.pipe.readers) return -EPIPE;
    const n = this.pipe.put(data);
    return n || BLOCKED;
  }
  writesWhole(): boolean { return true; }
  poll(): number {
    return (this.pipe.full ? 0 : POLLOUT | POLLWRNORM) | (this.pipe.readers ? 0 : POLLERR);
  }
  release(): void {
    this.pipe.writers--;
    this.pipe.waiters.wakeAll();
  }
}
