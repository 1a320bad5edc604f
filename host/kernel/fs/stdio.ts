// The host's stdin, stdout and stderr as open files, and the host terminal
// behind them. Output is buffered in one ordered queue for all guest
// processes (see HostOutput); stdin is read asynchronously so a reader blocks
// only itself.
import { EFAULT, EINVAL, ENOTTY, EPIPE } from "../errno.js";
import type { Platform, HostStat } from "../../platform/platform.js";
import type { GuestMemory } from "../../core/memory.js";
import { BLOCKED, O_RDONLY, O_WRONLY, OpenFile, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM,
  WaitQueue, type IoResult, type ReadResult } from "./file.js";
import { S_IFCHR } from "./node.js";

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCSCTTY = 0x540e,
  TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
const ICANON = 2, ECHO = 8;
const TERMIOS_SIZE = 36; // struct termios (kernel layout, same on both ABIs)

// Guest writes to host stdout/stderr, kept in order and flushed in batches:
// at exit, before reading stdin, when large, and whenever the kernel yields.
// A host fd whose reader has gone is "broken": as with a pipe, what was queued
// is dropped and later writes fail with EPIPE.
export class HostOutput {
  private queue: { fd: number; data: Uint8Array }[] = [];
  private size = 0;
  private broken = new Set<number>();
  constructor(private platform: Platform) {}

  // False when fd's reader is gone.
  write(fd: number, data: Uint8Array): boolean {
    if (this.broken.has(fd)) return false;
    this.queue.push({ fd, data: data.slice() });
    this.size += data.length;
    if (this.size >= 1 << 16) this.flush();
    return true;
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
      if (!this.broken.has(fd) && !this.platform.writeStdio(fd, out)) this.broken.add(fd);
      i = j;
    }
    this.queue = [];
    this.size = 0;
  }
}

// The host terminal as the guest sees it: termios (a cooked terminal until the
// guest changes it; clearing ICANON or ECHO puts the real terminal in raw
// mode), the foreground process group and the window size.
export class HostTerminal {
  readonly termios = new Uint8Array(TERMIOS_SIZE);
  foreground = 1;
  private winsize: { rows: number; cols: number } | null = null;

  constructor(private platform: Platform) {
    const dv = new DataView(this.termios.buffer);
    dv.setUint32(0, 0x500, true); // ICRNL|IXON
    dv.setUint32(4, 0x5, true); // OPOST|ONLCR
    dv.setUint32(8, 0xbf, true); // B38400|CS8|CREAD|HUPCL
    dv.setUint32(12, 0x8a3b, true); // ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN
    this.termios.set([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0], 17);
  }

  ioctl(fd: number, req: number, arg: number, mem: GuestMemory): number {
    switch (req) {
      case TCGETS: return mem.write(arg, this.termios) ? 0 : -EFAULT;
      case TCSETS: case TCSETSW: case TCSETSF: {
        const t = mem.read(arg, TERMIOS_SIZE);
        if (!t) return -EFAULT;
        this.termios.set(t);
        const lflag = new DataView(t.buffer).getUint32(12, true);
        this.platform.setRawMode((lflag & (ICANON | ECHO)) !== (ICANON | ECHO));
        return 0;
      }
      case TIOCGWINSZ: {
        const ws = this.winsize ?? this.platform.windowSize(fd) ?? { rows: 24, cols: 80 };
        const b = new Uint8Array(8);
        const dv = new DataView(b.buffer);
        dv.setUint16(0, ws.rows, true);
        dv.setUint16(2, ws.cols, true);
        return mem.write(arg, b) ? 0 : -EFAULT;
      }
      case TIOCSWINSZ: {
        const b = mem.read(arg, 8);
        if (!b) return -EFAULT;
        const dv = new DataView(b.buffer);
        this.winsize = { rows: dv.getUint16(0, true), cols: dv.getUint16(2, true) };
        return 0;
      }
      case TIOCGPGRP: return mem.writeU32(arg, this.foreground) ? 0 : -EFAULT;
      case TIOCSPGRP: {
        const g = mem.u32(arg);
        if (g === null) return -EFAULT;
        if ((g | 0) < 0) return -EINVAL;
        this.foreground = g;
        return 0;
      }
      case TIOCSCTTY: return 0; // forkbox's guests already share the host terminal
      default: return -ENOTTY;
    }
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

// One of the host's stdio streams (or /dev/tty): reads from the shared stdin
// reader, writes into the output queue for host fd `fd`.
export class StdioFile extends OpenFile {
  constructor(flags: number, private fd: number, private platform: Platform, private out: HostOutput,
    private stdin: StdinReader, private term: HostTerminal) {
    super(flags, `/dev/fd/${fd}`);
  }
  read(len: number): ReadResult { return this.stdin.read(len); }
  write(data: Uint8Array): IoResult {
    return this.out.write(this.fd === 0 ? 1 : this.fd, data) ? data.length : -EPIPE;
  }
  stat(): HostStat { return this.platform.fstatStdio(this.fd) ?? charStat(); }
  isTty(): boolean { return this.platform.isatty(this.fd); }
  ioctl(req: number, arg: number, mem: GuestMemory): number {
    return this.isTty() ? this.term.ioctl(this.fd, req, arg, mem) : -ENOTTY;
  }
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