// Unix98 pseudo-terminals: /dev/ptmx opens a master, /dev/pts/N is its slave.
// The slave is a Tty with the line discipline; its output is what the master
// reads, and what the master writes is the slave's input.
import { EFAULT, EIO } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { BLOCKED, OpenFile, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, WaitQueue, type IoResult,
  type ReadResult } from "../fs/file.js";
import { S_IFCHR, type Node } from "../fs/node.js";
import { DeviceNode, SynthDir, type SynthChildren } from "../fs/synth.js";
import type { GuestMemory } from "../../core/memory.js";
import { Termios } from "./termios.js";
import { Tty, TtyFile, type TtyHost } from "./tty.js";

const TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCGPTLCK = 0x80045439;
const PTY_MAJOR = 136, PTMX_RDEV = (5 << 8) | 2;
const mkdev = (major: number, minor: number) => (major << 8) | minor;

export class PtySlave extends Tty {
  readonly out: number[] = []; // output the master has not read yet
  readonly masterWaiters = new WaitQueue();
  locked = true; // until unlockpt (TIOCSPTLCK 0)
  private users = 0;
  everOpened = false;
  masterGone = false;
  node: Node | null = null; // its /dev/pts entry

  constructor(host: TtyHost, readonly index: number) {
    super(host, Termios.standard(false), `/dev/pts/${index}`, mkdev(PTY_MAJOR + (index >> 8), index & 0xff));
  }

  output(data: Uint8Array): void {
    for (const b of data) this.out.push(b);
    this.masterWaiters.wakeAll();
  }

  flushOutput(): void { this.out.length = 0; }

  opened(): void { this.users++; this.everOpened = true; }
  closed(): void {
    if (--this.users === 0) this.masterWaiters.wakeAll();
  }
  get slaveClosed(): boolean { return this.everOpened && this.users === 0; }
}

// The master side. Its own termios is left alone (raw), so reading gives the slave's output as is.
export class PtyMaster extends OpenFile {
  constructor(flags: number, readonly slave: PtySlave, private onClose: (s: PtySlave) => void) {
    super(flags, "/dev/ptmx");
  }
  read(len: number): ReadResult {
    const s = this.slave;
    if (s.out.length) return Uint8Array.from(s.out.splice(0, len));
    return s.slaveClosed ? -EIO : BLOCKED;
  }
  write(data: Uint8Array): IoResult {
    this.slave.ldisc.receive(data);
    return data.length;
  }
  stat(): HostStat {
    return { mode: S_IFCHR | 0o666, size: 0, ino: 2, dev: 6, nlink: 1, uid: 0, gid: 5, rdev: PTMX_RDEV,
      blksize: 1024, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0 };
  }
  isTty(): boolean { return true; }
  unread(): number { return this.slave.out.length; }
  poll(): number {
    const s = this.slave;
    return POLLOUT | POLLWRNORM | (s.out.length ? POLLIN | POLLRDNORM : 0) | (s.slaveClosed ? POLLHUP : 0);
  }
  subscribe(fn: () => void): () => void { return this.slave.masterWaiters.add(fn); }
  // The pty's own ioctls; terminal ioctls go to the slave (tty/ctl.ts).
  ptyIoctl(req: number, arg: number, mem: GuestMemory): number | null {
    switch (req) {
      case TIOCGPTN: return mem.writeU32(arg, this.slave.index) ? 0 : -EFAULT;
      case TIOCSPTLCK: {
        const v = mem.u32(arg);
        if (v === null) return -EFAULT;
        this.slave.locked = v !== 0;
        return 0;
      }
      case TIOCGPTLCK: return mem.writeU32(arg, this.slave.locked ? 1 : 0) ? 0 : -EFAULT;
      default: return null;
    }
  }
  release(): void { this.onClose(this.slave); }
}

// Terminal devices belong to group tty (5).
function ttyGroup(n: DeviceNode): DeviceNode {
  n.stat().gid = 5;
  return n;
}

// The pairs of one kernel, /dev/ptmx and the /dev/pts directory.
export class Ptys {
  private slaves = new Map<number, PtySlave>();
  constructor(private host: TtyHost, private hangup: (t: PtySlave) => void) {}

  openMaster(flags: number): PtyMaster {
    let i = 0;
    while (this.slaves.has(i)) i++;
    const s = new PtySlave(this.host, i);
    this.slaves.set(i, s);
    return new PtyMaster(flags, s, (sl) => {
      sl.masterGone = true;
      this.slaves.delete(sl.index);
      this.hangup(sl);
    });
  }

  ptmx(): Node {
    return ttyGroup(new DeviceNode(PTMX_RDEV, (flags) => this.openMaster(flags)));
  }

  // /dev/pts: one node per live pair, and ptmx.
  dir(): SynthDir {
    const children: SynthChildren = {
      names: () => ["ptmx", ...[...this.slaves.keys()].sort((a, b) => a - b).map(String)],
      get: (name) => {
        if (name === "ptmx") return new DeviceNode(PTMX_RDEV, (flags) => this.openMaster(flags), 0);
        const s = /^(0|[1-9]\d*)$/.test(name) ? this.slaves.get(Number(name)) : undefined;
        if (!s) return null;
        s.node ??= ttyGroup(new DeviceNode(s.rdev, (flags) => (s.locked || s.masterGone ? -EIO : new TtyFile(flags, s)), 0o620));
        return s.node;
      },
    };
    return new SynthDir(children, () => 1, 0o755);
  }
}
