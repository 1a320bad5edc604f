// The host terminal as the guest's console. forkbox keeps the real terminal
// in raw mode while the guest runs and does the line discipline itself, so
// the guest sees Linux's terminal semantics whatever the host is: every key
// the host reads is input to this Tty, its output goes to the host stream
// the guest wrote to.
import type { Platform } from "../../platform/platform.js";
import type { HostOutput } from "../fs/stdio.js";
import { Termios } from "./termios.js";
import { Tty, type TtyHost } from "./tty.js";

const CONSOLE_RDEV = (5 << 8) | 1;

export class Console extends Tty {
  // wanted: a guest waits for input (start reading the host terminal, if not yet).
  constructor(host: TtyHost, private out: HostOutput, private platform: Platform, readonly outFd: number,
    private wanted: () => void) {
    super(host, Termios.standard(true), "/dev/console", CONSOLE_RDEV);
    this.refreshSize();
  }

  wantInput(): void { this.wanted(); }

  output(data: Uint8Array, hostFd = this.outFd): void {
    if (data.length) this.out.write(hostFd === 0 ? this.outFd : hostFd, data);
  }

  // The host's window size (at start, and on the host's SIGWINCH).
  refreshSize(): void {
    const ws = this.platform.windowSize(this.outFd) ?? { rows: 24, cols: 80 };
    this.resize({ rows: ws.rows, cols: ws.cols, xpixel: 0, ypixel: 0 });
  }

  // Read the host terminal until it ends (then hang up), or until stop() returns true.
  async pump(stop: () => boolean, onEnd: () => void): Promise<void> {
    while (!stop()) {
      const data = await this.platform.readStdin();
      if (stop()) return;
      if (!data) { onEnd(); return; }
      this.ldisc.receive(data);
    }
  }
}
