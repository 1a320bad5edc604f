// What a process does to a terminal: read (job control, canonical lines,
// VMIN/VTIME), write (TOSTOP), and the terminal ioctls (termios, window size,
// foreground group, controlling terminal), with Linux's checks
// (tty_jobctrl.c, tty_ioctl.c, n_tty.c).
import { EAGAIN, EFAULT, EINVAL, EIO, ENOTTY, EPERM, ESRCH } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import type { Process } from "../process.js";
import { SIG_IGN, bit } from "../signal/state.js";
import type { Ctx } from "../syscalls/types.js";
import { disassociate, isOrphaned, setCtty } from "./session.js";
import { ICANON, TERMIOS2_SIZE, TERMIOS_SIZE, TOSTOP, Termios, VMIN, VTIME } from "./termios.js";
import { SIGTTIN, SIGTTOU, type Tty, type TtyFile } from "./tty.js";

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409, TCXONC = 0x540a,
  TCFLSH = 0x540b, TIOCEXCL = 0x540c, TIOCNXCL = 0x540d, TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f,
  TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCNOTTY = 0x5422,
  TCSBRKP = 0x5425, TIOCGSID = 0x5429, TCGETS2 = 0x802c542a, TCSETS2 = 0x402c542b, TCSETSW2 = 0x402c542c,
  TCSETSF2 = 0x402c542d;
const TCIFLUSH = 0, TCIOFLUSH = 2;

const blockedOrIgnored = (p: Process, sig: number) =>
  (p.sig.blocked & bit(sig)) !== 0n || p.sig.actions[sig].handler === SIG_IGN;

// __tty_check_change: a process of a background group touching its controlling terminal.
// 0: go ahead; -EIO; or BLOCKED after signalling its group (ERESTARTSYS: the signal's
// handler decides between restart and EINTR, a stop restarts the call on SIGCONT).
export function jobControl(c: Ctx, tty: Tty, sig: number): number | typeof BLOCKED {
  const { k, p } = c;
  if (p.tty !== tty || tty.pgrp === null || tty.pgrp === p.pgid) return 0;
  if (blockedOrIgnored(p, sig)) return sig === SIGTTIN ? -EIO : 0;
  if (isOrphaned(k, p.pgid)) return -EIO;
  k.signalGroup(p.pgid, sig);
  k.block(p);
  return BLOCKED;
}

interface ReadState { got: Uint8Array; deadline: number; }

const nowMs = (c: Ctx) => Number(c.k.platform.monotonicNs()) / 1e6;

function append(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// n_tty_read: a line in canonical mode; otherwise VMIN bytes, with VTIME as the
// whole wait (VMIN 0) or the gap allowed between bytes (VMIN > 0).
export function ttyRead(c: Ctx, f: TtyFile, len: number): Uint8Array | number | typeof BLOCKED {
  const { k, p } = c;
  const tty = f.tty;
  const t = tty.termios;
  const canon = (t.lflag & ICANON) !== 0;
  const vmin = t.cc[VMIN], vtime = t.cc[VTIME] * 100;
  let st = p.pending as ReadState | null;
  if (!st) {
    const jc = jobControl(c, tty, SIGTTIN);
    if (jc !== 0) return jc;
    st = { got: new Uint8Array(0), deadline: !canon && vmin === 0 ? nowMs(c) + vtime : Infinity };
  }
  const min = canon ? 1 : Math.max(vmin, 1);
  for (;;) {
    if (tty.ldisc.readable()) {
      st.got = append(st.got, tty.ldisc.take(len - st.got.length));
      if (canon || st.got.length >= Math.min(min, len)) return st.got;
      if (vmin && vtime) st.deadline = nowMs(c) + vtime;
      continue;
    }
    if (tty.hungUp || nowMs(c) >= st.deadline) return st.got;
    if (f.nonblocking()) return st.got.length ? st.got : -EAGAIN;
    if (st.got.length && p.sig.deliverable) return st.got;
    break;
  }
  p.pending = st;
  const cancels = [f.subscribe(() => k.wake(p))];
  if (st.deadline !== Infinity) cancels.push(k.timer(Math.max(0, Math.ceil(st.deadline - nowMs(c))), () => k.wake(p)));
  k.block(p, () => { for (const x of cancels) x(); });
  return BLOCKED;
}

// n_tty_write: with TOSTOP a background group's write is a job-control event.
export function ttyWriteCheck(c: Ctx, tty: Tty): number | typeof BLOCKED {
  if (tty.hungUp) return -EIO;
  return tty.termios.lflag & TOSTOP ? jobControl(c, tty, SIGTTOU) : 0;
}

function setTermios(c: Ctx, tty: Tty, arg: number, size: number, flush: boolean): number | typeof BLOCKED {
  const jc = jobControl(c, tty, SIGTTOU);
  if (jc !== 0) return jc;
  const b = c.mem.read(arg, size);
  if (!b) return -EFAULT;
  if (flush) tty.ldisc.flushInput();
  tty.ldisc.setTermios(Termios.decode(b));
  tty.inputChanged();
  return 0;
}

// tiocspgrp
function setForeground(c: Ctx, tty: Tty, arg: number): number | typeof BLOCKED {
  const { k, p } = c;
  const jc = jobControl(c, tty, SIGTTOU);
  if (jc === -EIO) return -ENOTTY;
  if (jc !== 0) return jc;
  const g = c.mem.u32(arg);
  if (g === null) return -EFAULT;
  if ((g | 0) < 0) return -EINVAL;
  if (p.tty !== tty || tty.session !== p.sid) return -ENOTTY;
  // find_vpid, then session_of_pgrp: a group's leader or any process with that pid.
  const procs = [...k.procs.values()];
  const q = procs.find((x) => x.pgid === g) ?? procs.find((x) => x.pid === g);
  if (!q) return -ESRCH;
  if (q.sid !== p.sid) return -EPERM;
  tty.pgrp = g;
  return 0;
}

// tiocsctty: a session leader without a terminal takes this one (root may steal it with arg 1).
function setControlling(c: Ctx, tty: Tty, readable: boolean, arg: number): number {
  const { k, p } = c;
  const leader = p.sid === p.pid;
  if (leader && tty.session === p.sid) return 0;
  if (!leader || p.tty) return -EPERM;
  const admin = p.creds.euid === 0;
  if (tty.session !== null) {
    if (arg !== 1 || !admin) return -EPERM;
    for (const q of k.procs.values()) if (q.sid === tty.session) q.tty = null;
  }
  if (!readable && !admin) return -EPERM;
  setCtty(p, tty);
  return 0;
}

// Terminal ioctls on tty, reached through its own file or (viaMaster) its pty master.
export function ttyIoctl(c: Ctx, tty: Tty, viaMaster: boolean, readable: boolean, req: number, arg: number):
  number | typeof BLOCKED {
  const { k, p, mem } = c;
  if (tty.hungUp && !viaMaster) return req === TIOCSPGRP ? -ENOTTY : -EIO;
  const mine = viaMaster || p.tty === tty;
  switch (req) {
    case TCGETS: return mem.write(arg, tty.termios.encode(TERMIOS_SIZE)) ? 0 : -EFAULT;
    case TCGETS2: return mem.write(arg, tty.termios.encode(TERMIOS2_SIZE)) ? 0 : -EFAULT;
    case TCSETS: case TCSETSW: return setTermios(c, tty, arg, TERMIOS_SIZE, false);
    case TCSETSF: return setTermios(c, tty, arg, TERMIOS_SIZE, true);
    case TCSETS2: case TCSETSW2: return setTermios(c, tty, arg, TERMIOS2_SIZE, false);
    case TCSETSF2: return setTermios(c, tty, arg, TERMIOS2_SIZE, true);
    case TCSBRK: case TCSBRKP: return jobControl(c, tty, SIGTTOU); // output is never held back
    case TCXONC: {
      const jc = jobControl(c, tty, SIGTTOU);
      return jc !== 0 ? jc : arg >>> 0 <= 3 ? 0 : -EINVAL;
    }
    case TCFLSH: {
      const jc = jobControl(c, tty, SIGTTOU);
      if (jc !== 0) return jc;
      if (arg >>> 0 > TCIOFLUSH) return -EINVAL;
      if (arg === TCIFLUSH || arg === TCIOFLUSH) tty.ldisc.flushInput();
      return 0;
    }
    case TIOCEXCL: case TIOCNXCL: return 0;
    case TIOCOUTQ: return mem.writeU32(arg, 0) ? 0 : -EFAULT;
    case TIOCGWINSZ: {
      const b = new Uint8Array(8);
      const dv = new DataView(b.buffer);
      const w = tty.winsize;
      [w.rows, w.cols, w.xpixel, w.ypixel].forEach((v, i) => dv.setUint16(i * 2, v, true));
      return mem.write(arg, b) ? 0 : -EFAULT;
    }
    case TIOCSWINSZ: {
      const b = mem.read(arg, 8);
      if (!b) return -EFAULT;
      const dv = new DataView(b.buffer);
      tty.resize({ rows: dv.getUint16(0, true), cols: dv.getUint16(2, true), xpixel: dv.getUint16(4, true),
        ypixel: dv.getUint16(6, true) });
      return 0;
    }
    case TIOCGPGRP:
      if (!mine) return -ENOTTY;
      return mem.writeU32(arg, tty.pgrp ?? 0) ? 0 : -EFAULT;
    case TIOCSPGRP: return setForeground(c, tty, arg);
    case TIOCGSID:
      if (!mine || tty.session === null) return -ENOTTY;
      return mem.writeU32(arg, tty.session) ? 0 : -EFAULT;
    case TIOCSCTTY: return setControlling(c, tty, readable, arg);
    case TIOCNOTTY:
      if (p.tty !== tty) return -ENOTTY;
      disassociate(k, p, false);
      p.tty = null;
      return 0;
    default: return -ENOTTY;
  }
}
