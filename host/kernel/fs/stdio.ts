// The host's stdin, stdout and stderr as open files when they are no
// terminal (a terminal is the console, ../tty/console.ts). Output is buffered
// in one ordered queue for all guest processes (see HostOutput); stdin is
// read asynchronously so a reader blocks only itself.
import { EPIPE } from "../errno.js";
import type { Platform, HostStat } from "../../platform/platform.js";
import { BLOCKED, O_RDONLY, O_WRONLY, OpenFile, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM,
  WaitQueue, type IoResult, type ReadResult } from "./file.js";
import { S_IFCHR } from "./node.js";

// Guest writes to host stdout/stderr, kept in order and flushed in batches:
// at exit, before reading stdin, when large, and whenever the kernel yields.
// A host fd whose reader has gone is "broken": as with a pipe, what was queued
// is dropped and later writes fail with EPIPE.
export class HostOutput {
  // The queued bytes, in one buffer so queuing allocates nothing: runs of
  // consecutive writes to one fd, as (fd, end offset) pairs.
  private buf = new Uint8Array(1 << 16);
  private used = 0;
  private runs: number[] = [];
  private broken = new Set<number>();
  constructor(private platform: Platform) {}

  // False when fd's reader is gone.
  write(fd: number, data: Uint8Array): boolean {
    if (this.broken.has(fd)) return false;
    if (data.length > this.buf.length - this.used) {
      this.flush();
      if (data.length > this.buf.length) return this.send(fd, data.slice());
    }
    this.buf.set(data, this.used);
    this.used += data.length;
    const n = this.runs.length;
    if (n && this.runs[n - 2] === fd) this.runs[n - 1] = this.used;
    else this.runs.push(fd, this.used);
    return true;
  }

  flush(): void {
    let start = 0;
    for (let i = 0; i < this.runs.length; i += 2) {
      const end = this.runs[i + 1];
      this.send(this.runs[i], this.buf.slice(start, end)); // a stream platform keeps what it is given
      start = end;
    }
    this.runs.length = 0;
    this.used = 0;
  }

  private send(fd: number, data: Uint8Array): boolean {
    if (!this.broken.has(fd) && !this.platform.writeStdio(fd, data)) this.broken.add(fd);
    return !this.broken.has(fd);
  }
}

// Host stdin, read ahead one chunk at a time. `pending` tells the kernel a host
// event is outstanding (so it waits rather than report a deadlock).
export class StdinReader {
  private buffered: Uint8Array | null = null;
  private eof = false;
  private reading = false;
  readonly waiters = new WaitQueue();
  constructor(private platform: Platform, private out: HostOutput, private pending: () => () => void) {}

  get available(): number { return this.buffered?.length ?? 0; }
  ready(): boolean { return this.buffered !== null || this.eof; }

  read(len: number): ReadResult {
    if (this.buffered) {
      const n = Math.min(len, this.buffered.length);
      const out = this.buffered.subarray(0, n);
      this.buffered = n < this.buffered.length ? this.buffered.subarray(n) : null;
      return out;
    }
    if (this.eof) return new Uint8Array(0);
    this.start();
    return BLOCKED;
  }

  start(): void {
    if (this.reading || this.ready()) return;
    this.reading = true;
    this.out.flush(); // a prompt must be visible before we wait for the answer
    const done = this.pending();
    void this.platform.readStdin().then((data) => {
      if (data) this.buffered = data; else this.eof = true;
      this.reading = false;
      this.waiters.wakeAll();
      done();
    });
  }
}

function charStat(): HostStat {
  return { mode: S_IFCHR | 0o620, size: 0, ino: 3, dev: 5, nlink: 1, uid: 0, gid: 5, rdev: 0x8800,
    blksize: 1024, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0 };
}

// One of the host's stdio streams: reads from the shared stdin reader, writes
// into the output queue for host fd `fd`.
export class StdioFile extends OpenFile {
  constructor(flags: number, private fd: number, private platform: Platform, private out: HostOutput,
    private stdin: StdinReader) {
    super(flags, `/dev/fd/${fd}`);
  }
  read(len: number): ReadResult { return this.stdin.read(len); }
  write(data: Uint8Array): IoResult {
    return this.out.write(this.fd === 0 ? 1 : this.fd, data) ? data.length : -EPIPE;
  }
  stat(): HostStat { return this.platform.fstatStdio(this.fd) ?? charStat(); }
  unread(): number { return this.stdin.available; }
  poll(): number {
    let m = POLLOUT | POLLWRNORM;
    if (this.readable()) {
      if (this.stdin.ready()) m |= POLLIN | POLLRDNORM;
      else this.stdin.start();
    }
    return m;
  }
  subscribe(fn: () => void): () => void {
    if (this.readable()) this.stdin.start();
    return this.stdin.waiters.add(fn);
  }
}

export const STDIO_FLAGS = [O_RDONLY, O_WRONLY, O_WRONLY];