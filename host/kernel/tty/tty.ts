// A terminal (Linux's tty_struct): termios and the line discipline, the
// session it controls and its foreground process group, the window size,
// and the open files of its terminal side. The host console (console.ts)
// and pty slaves (pty.ts) are both one of these; they differ only in where
// output goes and where input comes from.
import { EIO } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { OpenFile, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, WaitQueue, type IoResult } from "../fs/file.js";
import { S_IFCHR } from "../fs/node.js";
import { LineDiscipline, type LdiscOwner } from "./ldisc.js";
import type { Termios } from "./termios.js";

export const SIGHUP = 1, SIGCONT = 18, SIGTTIN = 21, SIGTTOU = 22, SIGWINCH = 28;

// What a terminal needs from the kernel: signals to a process group.
export interface TtyHost {
  signalGroup(pgid: number, sig: number): void;
}

export interface Winsize { rows: number; cols: number; xpixel: number; ypixel: number; }

export abstract class Tty implements LdiscOwner {
  readonly ldisc: LineDiscipline;
  session: number | null = null; // the session this is the controlling terminal of
  pgrp: number | null = null; // its foreground process group
  winsize: Winsize = { rows: 0, cols: 0, xpixel: 0, ypixel: 0 };
  readonly waiters = new WaitQueue(); // readers and pollers
  hungUp = false;

  constructor(protected host: TtyHost, termios: Termios, readonly path: string, readonly rdev: number) {
    this.ldisc = new LineDiscipline(termios, this);
  }

  get termios(): Termios { return this.ldisc.termios; }

  // Processed output to the device (hostFd: which host stream, for the console).
  abstract output(data: Uint8Array, hostFd?: number): void;

  flushOutput(): void {}
  wantInput(): void {} // a reader or poller waits

  signal(sig: number): void {
    if (this.pgrp !== null) this.host.signalGroup(this.pgrp, sig);
  }

  inputChanged(): void { this.waiters.wakeAll(); }

  // TIOCSWINSZ and host resizes: a change tells the foreground group (SIGWINCH).
  resize(ws: Winsize): void {
    const w = this.winsize;
    if (w.rows === ws.rows && w.cols === ws.cols && w.xpixel === ws.xpixel && w.ypixel === ws.ypixel) return;
    this.winsize = ws;
    this.signal(SIGWINCH);
  }

  stat(): HostStat {
    return { mode: S_IFCHR | 0o620, size: 0, ino: 3 + this.rdev, dev: 5, nlink: 1, uid: 0, gid: 5, rdev: this.rdev,
      blksize: 1024, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0 };
  }

  // A file on the terminal side was opened or closed (pty slaves track their users).
  opened(): void {}
  closed(): void {}
}

// An open file of a terminal (its slave side). Reads, writes and ioctls go
// through tty/ctl.ts, which knows the calling process; these methods are
// what other paths (poll, fstat, FIONREAD) see.
export class TtyFile extends OpenFile {
  // hostFd: the host stream a console file writes to (stdout or stderr); else the console's own.
  constructor(flags: number, readonly tty: Tty, readonly hostFd?: number) {
    super(flags, tty.path);
    tty.opened();
  }
  write(data: Uint8Array): IoResult {
    if (this.tty.hungUp) return -EIO;
    this.tty.output(this.tty.ldisc.process(data), this.hostFd);
    return data.length;
  }
  stat(): HostStat { return this.tty.stat(); }
  isTty(): boolean { return true; }
  unread(): number { return this.tty.ldisc.available(); }
  poll(): number {
    if (this.tty.hungUp) return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLHUP;
    return POLLOUT | POLLWRNORM | (this.tty.ldisc.readable() ? POLLIN | POLLRDNORM : 0);
  }
  subscribe(fn: () => void): () => void {
    this.tty.wantInput();
    return this.tty.waiters.add(fn);
  }
  reopen(flags: number): OpenFile { return new TtyFile(flags, this.tty, this.hostFd); }
  release(): void { this.tty.closed(); }
}
