// The host's stdin, stdout and stderr as open files. Output is buffered in
// one ordered queue for all guest processes (see HostOutput).
import { EINVAL, ENOTTY, EFAULT } from "../errno.js";
import type { Platform, HostStat } from "../../platform/platform.js";
import { BLOCKED, O_RDONLY, O_WRONLY, OpenFile, type IoResult, type ReadResult } from "./file.js";
import type { GuestMemory } from "../../core/memory.js";

const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, TIOCGPGRP = 0x540f, FIONREAD = 0x541b;
const S_IFCHR = 0o020000;

// Guest writes to host stdout/stderr, kept in order and flushed in batches:
// at exit, before reading stdin, when large, and whenever the kernel yields.
export class HostOutput {
  private queue: { fd: number; data: Uint8Array }[] = [];
  private size = 0;
  constructor(private platform: Platform) {}

  write(fd: number, data: Uint8Array): void {
    this.queue.push({ fd, data: data.slice() });
    this.size += data.length;
    if (this.size >= 1 << 16) this.flush();
  }

  flush(): void {
    let i = 0;
    while (i < this.queue.length) {
      const fd = this.queue[i].fd;
      let j = i;
      let n = 0;
      while (j < this.queue.length && this.queue[j].fd === fd) n += this.queue[j++].data.length;
      const out = new Uint8Array(n);
      let o = 0;
      for (let k = i; k < j; k++) { out.set(this.queue[k].data, o); o += this.queue[k].data.length; }
      this.platform.writeStdio(fd, out);
      i = j;
    }
    this.queue = [];
    this.size = 0;
  }
}

function ttyStat(): HostStat {
  return { mode: S_IFCHR | 0o620, size: 0, ino: 0, dev: 0, nlink: 1, uid: 0, gid: 0, rdev: 0x8800,
    blksize: 1024, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0 };
}

abstract class HostStdio extends OpenFile {
  constructor(flags: number, protected fd: number, protected platform: Platform, protected memory: () => GuestMemory) {
    super(flags, `/dev/fd/${fd}`);
  }
  stat(): HostStat { return this.platform.fstatStdio(this.fd) ?? ttyStat(); }
  isTty(): boolean { return this.platform.isatty(this.fd); }

  // Terminal requests answered from the real host terminal; ENOTTY otherwise.
  ioctl(req: number, arg: number): number {
    if (!this.isTty()) return -ENOTTY;
    const mem = this.memory();
    switch (req) {
      case TCGETS: {
        // A cooked terminal: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO...
        const t = new Uint8Array(36);
        const dv = new DataView(t.buffer);
        dv.setUint32(0, 0x500, true);
        dv.setUint32(4, 0x5, true);
        dv.setUint32(8, 0xbf, true);
        dv.setUint32(12, 0x8a3b, true);
        t.set([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0], 17);
        return mem.write(arg, t) ? 0 : -EFAULT;
      }
      case TIOCGWINSZ: {
        const ws = this.platform.windowSize(this.fd) ?? { rows: 24, cols: 80 };
        const b = new Uint8Array(8);
        const dv = new DataView(b.buffer);
        dv.setUint16(0, ws.rows, true);
        dv.setUint16(2, ws.cols, true);
        return mem.write(arg, b) ? 0 : -EFAULT;
      }
      case TIOCGPGRP: case FIONREAD:
        return mem.writeU32(arg, 0) ? 0 : -EFAULT;
      default:
        return -EINVAL;
    }
  }
}

export class StdoutFile extends HostStdio {
  constructor(fd: number, platform: Platform, private out: HostOutput, memory: () => GuestMemory) {
    super(O_WRONLY, fd, platform, memory);
  }
  write(data: Uint8Array): IoResult {
    this.out.write(this.fd, data);
    return data.length;
  }
}

// Host stdin is read asynchronously: a reader blocks only itself.
export class StdinFile extends HostStdio {
  private buffered: Uint8Array | null = null;
  private eof = false;
  private pending: Promise<void> | null = null;
  private waiters: (() => void)[] = [];

  constructor(platform: Platform, private out: HostOutput, memory: () => GuestMemory) {
    super(O_RDONLY, 0, platform, memory);
  }

  read(len: number, wake: () => void): ReadResult {
    if (this.buffered) {
      const n = Math.min(len, this.buffered.length);
      const out = this.buffered.subarray(0, n);
      this.buffered = n < this.buffered.length ? this.buffered.subarray(n) : null;
      return out;
    }
    if (this.eof) return new Uint8Array(0);
    this.out.flush(); // a prompt must be visible before we wait for the answer
    this.waiters.push(wake);
    this.pending ??= this.platform.readStdin().then((data) => {
      if (data) this.buffered = data; else this.eof = true;
      this.pending = null;
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    return BLOCKED;
  }

  hasPendingRead(): boolean { return this.pending !== null; }
}
