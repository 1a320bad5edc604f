// Signal syscalls: dispositions (rt_sigaction and i386 sigaction/signal),
// masks, pending sets, waiting (pause, sigsuspend, sigtimedwait), sending
// (kill, tkill, tgkill, rt_sigqueueinfo), sigaltstack, ITIMER_REAL and sigreturn.
// State and delivery live in ../signal/.
import { EAGAIN, EFAULT, EINVAL, ENOMEM, ENOSYS, EPERM, ESRCH } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import type { Process } from "../process.js";
import { readFrame } from "../signal/frame.js";
import { cancelRealTimer, getRealTimer, setRealTimer } from "../signal/itimer.js";
import { IGNORE, defaultAction, forceSigsegv, sendSignal } from "../signal/send.js";
import { SI_QUEUE, SI_TKILL, SI_USER, decodeSiginfo, encodeSiginfo, SIGINFO_SIZE, type Siginfo } from "../signal/siginfo.js";
import {
  NSIG, SA_KNOWN, SA_NODEFER, SA_RESETHAND, SIG_DFL, SIG_IGN, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, UNBLOCKABLE, bit,
  type SigAction,
} from "../signal/state.js";
import { SIGKILL, SIGSEGV, SIGSTOP } from "../signals.js";
import { decodeTimePair, encodeTimePair } from "./structs.js";
import { NORETURN, type Ctx, type SysResult } from "./types.js";

const SIGSET_SIZE = 8;
const MINSIGSTKSZ = 2048;
const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

const validSignal = (sig: number) => sig >= 1 && sig <= NSIG;

// ---- dispositions ------------------------------------------------------------

// do_sigaction: install act (if any) and return the previous action.
function doSigaction(p: Process, sig: number, act: SigAction | null): SigAction | number {
  if (!validSignal(sig) || (act && (sig === SIGKILL || sig === SIGSTOP))) return -EINVAL;
  const s = p.sig;
  const old = { ...s.actions[sig] };
  if (act) {
    s.actions[sig] = { ...act, flags: act.flags & SA_KNOWN, mask: act.mask & ~UNBLOCKABLE };
    // Ignoring a signal discards any pending instance (POSIX 3.3.1.3).
    if (act.handler === SIG_IGN || (act.handler === SIG_DFL && defaultAction(sig) === IGNORE)) s.discard(bit(sig));
  }
  return old;
}

// struct sigaction as the kernel reads it: handler, flags, restorer, mask (words; mask 8 bytes).
function readSigaction(c: Ctx, ptr: number): SigAction | null {
  const w = c.word;
  const b = c.mem.read(ptr, w * 3 + 8);
  if (!b) return null;
  const dv = new DataView(b.buffer);
  const word = (o: number) => (w === 4 ? dv.getUint32(o, true) : Number(dv.getBigUint64(o, true)));
  return { handler: word(0), flags: dv.getUint32(w, true), restorer: word(w * 2), mask: dv.getBigUint64(w * 3, true) };
}

function writeSigaction(c: Ctx, ptr: number, a: SigAction): boolean {
  const w = c.word;
  const b = new Uint8Array(w * 3 + 8);
  const dv = new DataView(b.buffer);
  const put = (o: number, v: number) => (w === 4 ? dv.setUint32(o, v, true) : dv.setBigUint64(o, BigInt(v), true));
  put(0, a.handler);
  put(w, a.flags >>> 0);
  put(w * 2, a.restorer);
  dv.setBigUint64(w * 3, a.mask, true);
  return c.mem.write(ptr, b);
}

export function rtSigaction(c: Ctx, sig: number, actPtr: number, oldPtr: number, setsize: number): SysResult {
  if (setsize !== SIGSET_SIZE) return -EINVAL;
  const act = actPtr ? readSigaction(c, actPtr) : null;
  if (actPtr && !act) return -EFAULT;
  const old = doSigaction(c.p, sig, act);
  if (typeof old === "number") return old;
  return oldPtr && !writeSigaction(c, oldPtr, old) ? -EFAULT : 0;
}

// i386 struct old_sigaction: handler, mask (32 bits), flags, restorer.
export function sigaction(c: Ctx, sig: number, actPtr: number, oldPtr: number): SysResult {
  let act: SigAction | null = null;
  if (actPtr) {
    const b = c.mem.read(actPtr, 16);
    if (!b) return -EFAULT;
    const dv = new DataView(b.buffer);
    act = { handler: dv.getUint32(0, true), mask: BigInt(dv.getUint32(4, true)), flags: dv.getUint32(8, true), restorer: dv.getUint32(12, true) };
  }
  const old = doSigaction(c.p, sig, act);
  if (typeof old === "number") return old;
  if (oldPtr) {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, old.handler, true);
    dv.setUint32(4, Number(old.mask & 0xffffffffn), true);
    dv.setUint32(8, old.flags >>> 0, true);
    dv.setUint32(12, old.restorer, true);
    if (!c.mem.write(oldPtr, b)) return -EFAULT;
  }
  return 0;
}

// i386 signal(): a one-shot handler that does not block its own signal.
export function signal(c: Ctx, sig: number, handler: number): SysResult {
  const old = doSigaction(c.p, sig, { handler, flags: SA_RESETHAND | SA_NODEFER, restorer: 0, mask: 0n });
  return typeof old === "number" ? old : old.handler;
}

// ---- masks and pending sets ------------------------------------------------------

function changeMask(p: Process, how: number, set: bigint, oldWordOnly: boolean): number {
  const cur = p.sig.blocked;
  let next: bigint;
  if (how === SIG_BLOCK) next = cur | set;
  else if (how === SIG_UNBLOCK) next = cur & ~set;
  else if (how === SIG_SETMASK) next = oldWordOnly ? (cur & ~0xffffffffn) | set : set;
  else return -EINVAL;
  p.sig.setBlocked(next);
  return 0;
}

export function rtSigprocmask(c: Ctx, how: number, setPtr: number, oldPtr: number, setsize: number): SysResult {
  if (setsize !== SIGSET_SIZE) return -EINVAL;
  const old = c.p.sig.blocked;
  if (setPtr) {
    const set = c.mem.u64(setPtr);
    if (set === null) return -EFAULT;
    const err = changeMask(c.p, how, set, false);
    if (err) return err;
  }
  return oldPtr && !c.mem.writeU64(oldPtr, old) ? -EFAULT : 0;
}

// i386 sigprocmask: old_sigset_t is the first 32 signals.
export function sigprocmask(c: Ctx, how: number, setPtr: number, oldPtr: number): SysResult {
  const old = c.p.sig.blocked;
  if (setPtr) {
    const set = c.mem.u32(setPtr);
    if (set === null) return -EFAULT;
    const err = changeMask(c.p, how, BigInt(set), true);
    if (err) return err;
  }
  return oldPtr && !c.mem.writeU64(oldPtr, old, 4) ? -EFAULT : 0;
}

export function rtSigpending(c: Ctx, ptr: number, setsize: number): SysResult {
  if (setsize > SIGSET_SIZE) return -EINVAL;
  return c.mem.writeU64(ptr, c.p.sig.pending & c.p.sig.blocked, setsize) ? 0 : -EFAULT;
}

export const sigpending = (c: Ctx, ptr: number) => rtSigpending(c, ptr, 4);

// ---- waiting ---------------------------------------------------------------------

// pause and sigsuspend sleep until a handler runs (they return EINTR then);
// a signal that stops and continues the process puts them back to sleep.
export function pause(c: Ctx): SysResult {
  c.k.block(c.p);
  return BLOCKED;
}

const SUSPENDED = Symbol("suspended");

function suspend(c: Ctx, mask: bigint): SysResult {
  const s = c.p.sig;
  if (c.p.pending !== SUSPENDED) {
    s.savedMask = s.blocked;
    s.setBlocked(mask);
    c.p.pending = SUSPENDED;
  }
  c.k.block(c.p);
  return BLOCKED;
}

export function rtSigsuspend(c: Ctx, maskPtr: number, setsize: number): SysResult {
  if (c.p.pending === SUSPENDED) return suspend(c, 0n);
  if (setsize !== SIGSET_SIZE) return -EINVAL;
  const mask = c.mem.u64(maskPtr);
  return mask === null ? -EFAULT : suspend(c, mask);
}

// i386 sigsuspend(unused, unused, old_sigset_t mask): the upper 32 signals keep their mask.
export const sigsuspend = (c: Ctx, _a: number, _b: number, mask: number) =>
  suspend(c, (c.p.sig.blocked & ~0xffffffffn) | BigInt(mask >>> 0));

function sigtimedwait(c: Ctx, setPtr: number, infoPtr: number, tsPtr: number, setsize: number, tsWord: 4 | 8): SysResult {
  const { k, p } = c;
  const s = p.sig;
  s.setWaitSet(0n);
  if (setsize !== SIGSET_SIZE) return -EINVAL;
  const raw = c.mem.u64(setPtr);
  if (raw === null) return -EFAULT;
  const set = raw & ~UNBLOCKABLE;
  let deadline = typeof p.pending === "number" ? p.pending : Infinity;
  if (p.pending === null && tsPtr) {
    const b = c.mem.read(tsPtr, tsWord * 2);
    if (!b) return -EFAULT;
    const [sec, ns] = decodeTimePair(b, tsWord);
    if (sec < 0 || ns < 0 || ns > 999999999) return -EINVAL;
    deadline = Number(k.platform.monotonicNs()) + sec * 1e9 + ns;
  }
  const info = s.take(set);
  if (info) {
    if (infoPtr && !c.mem.write(infoPtr, encodeSiginfo(info, c.word))) return -EFAULT;
    return info.signo;
  }
  const now = Number(k.platform.monotonicNs());
  if (now >= deadline) return -EAGAIN;
  p.pending = deadline;
  s.setWaitSet(set);
  const cancel = deadline === Infinity ? null : k.timer(Math.ceil((deadline - now) / 1e6), () => k.wake(p));
  k.block(p, cancel);
  return BLOCKED;
}

export const rtSigtimedwait = (c: Ctx, set: number, info: number, ts: number, size: number) =>
  sigtimedwait(c, set, info, ts, size, c.word);
export const rtSigtimedwaitTime64 = (c: Ctx, set: number, info: number, ts: number, size: number) =>
  sigtimedwait(c, set, info, ts, size, 8);

// ---- sending -----------------------------------------------------------------------

function mayKill(c: Ctx, t: Process): boolean {
  const cr = c.p.creds;
  return cr.euid === 0 || cr.uid === t.creds.uid || cr.euid === t.creds.uid || cr.uid === t.creds.suid || cr.euid === t.creds.suid;
}

// Send to each target the caller may signal; EPERM only if it may signal none.
function sendTo(c: Ctx, targets: Process[], info: Siginfo): SysResult {
  if (targets.length === 0) return -ESRCH;
  const allowed = targets.filter((t) => mayKill(c, t));
  if (allowed.length === 0) return -EPERM;
  if (info.signo !== 0) for (const t of allowed) sendSignal(c.k, t, info);
  return c.p.state === "zombie" ? NORETURN : 0;
}

function live(c: Ctx, pid: number): Process | null {
  const t = c.k.procs.get(pid);
  return t && t.state !== "zombie" ? t : null;
}

export function kill(c: Ctx, pid: number, sig: number): SysResult {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const { k, p } = c;
  const info: Siginfo = { signo: sig, code: SI_USER, kind: "kill", pid: p.pid, uid: p.creds.uid };
  if (pid > 0) {
    const t = live(c, pid);
    return sendTo(c, t ? [t] : [], info);
  }
  const all = [...k.procs.values()].filter((t) => t.state !== "zombie");
  if (pid === -1) return sendTo(c, all.filter((t) => t.pid !== 1 && t !== p), info);
  if (pid === -0x80000000) return -ESRCH;
  const g = pid === 0 ? p.pgid : -pid;
  return sendTo(c, all.filter((t) => t.pgid === g), info);
}

function tkillInfo(c: Ctx, sig: number): Siginfo {
  return { signo: sig, code: SI_TKILL, kind: "kill", pid: c.p.pid, uid: c.p.creds.uid };
}

export function tkill(c: Ctx, tid: number, sig: number): SysResult {
  if (tid <= 0 || sig < 0 || sig > NSIG) return -EINVAL;
  const t = live(c, tid);
  return sendTo(c, t ? [t] : [], tkillInfo(c, sig));
}

export function tgkill(c: Ctx, tgid: number, tid: number, sig: number): SysResult {
  if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG) return -EINVAL;
  const t = live(c, tid);
  return sendTo(c, t && t.pid === tgid ? [t] : [], tkillInfo(c, sig));
}

function queueInfo(c: Ctx, pid: number, sig: number, infoPtr: number): Siginfo | number {
  const b = c.mem.read(infoPtr, SIGINFO_SIZE);
  if (!b) return -EFAULT;
  const info = decodeSiginfo(b, c.word);
  // Only the kernel may claim SI_USER/SI_KERNEL or SI_TKILL towards another process.
  if ((info.code >= 0 || info.code === SI_TKILL) && pid !== c.p.pid) return -EPERM;
  info.signo = sig;
  if (info.code !== SI_QUEUE && info.code !== SI_TKILL && info.code >= 0) info.kind = "kill";
  return info;
}

export function rtSigqueueinfo(c: Ctx, pid: number, sig: number, infoPtr: number): SysResult {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const info = queueInfo(c, pid, sig, infoPtr);
  if (typeof info === "number") return info;
  const t = live(c, pid);
  return sendTo(c, t ? [t] : [], info);
}

export function rtTgsigqueueinfo(c: Ctx, tgid: number, tid: number, sig: number, infoPtr: number): SysResult {
  if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG) return -EINVAL;
  const info = queueInfo(c, tid, sig, infoPtr);
  if (typeof info === "number") return info;
  const t = live(c, tid);
  return sendTo(c, t && t.pid === tgid ? [t] : [], info);
}

// ---- alternate stack ---------------------------------------------------------------

// do_sigaltstack: change the alternate stack unless sp is on it now.
function setAltStack(c: Ctx, sp: number, nsp: number, flags: number, nsize: number): number {
  const s = c.p.sig;
  if (s.onAltStack(sp)) return -EPERM;
  const mode = (flags & ~SS_AUTODISARM) >>> 0;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -EINVAL;
  if (mode === SS_DISABLE) { nsp = 0; nsize = 0; }
  else if (nsize < MINSIGSTKSZ) return -ENOMEM;
  s.altSp = nsp;
  s.altSize = nsize;
  s.altFlags = flags;
  return 0;
}

export function sigaltstack(c: Ctx, ssPtr: number, ossPtr: number): SysResult {
  const s = c.p.sig;
  const w = c.word;
  const size = w === 4 ? 12 : 24;
  const sp = c.k.core.reg(c.p.cpu, 4);
  const old = { sp: s.altSp, size: s.altSize, flags: s.altStackFlags(sp) | (s.altFlags & SS_AUTODISARM) };
  if (ssPtr) {
    const b = c.mem.read(ssPtr, size);
    if (!b) return -EFAULT;
    const dv = new DataView(b.buffer);
    const nsp = w === 4 ? dv.getUint32(0, true) : Number(dv.getBigUint64(0, true));
    const nsize = w === 4 ? dv.getUint32(8, true) : Number(dv.getBigUint64(16, true));
    const err = setAltStack(c, sp, nsp, dv.getUint32(w, true), nsize);
    if (err) return err;
  }
  if (ossPtr) {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    if (w === 4) { dv.setUint32(0, old.sp, true); dv.setUint32(8, old.size, true); }
    else { dv.setBigUint64(0, BigInt(old.sp), true); dv.setBigUint64(16, BigInt(old.size), true); }
    dv.setUint32(w, old.flags >>> 0, true);
    if (!c.mem.write(ossPtr, b)) return -EFAULT;
  }
  return 0;
}

// ---- ITIMER_REAL -------------------------------------------------------------------

const ITIMER_REAL = 0, ITIMER_PROF = 2;

function encodeItimer(c: Ctx, [value, interval]: [number, number]): Uint8Array {
  const b = new Uint8Array(c.word * 4);
  const usec = (ns: number) => [Math.floor(ns / 1e9), Math.floor((ns % 1e9) / 1000)] as const;
  b.set(encodeTimePair(...usec(interval), c.word), 0);
  b.set(encodeTimePair(...usec(value), c.word), c.word * 2);
  return b;
}

function otherTimer(c: Ctx, which: number): number {
  if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
  c.k.log(`${which === 1 ? "ITIMER_VIRTUAL" : "ITIMER_PROF"} is not implemented`);
  return -ENOSYS;
}

export function getitimer(c: Ctx, which: number, ptr: number): SysResult {
  if (which !== ITIMER_REAL) return otherTimer(c, which);
  return c.mem.write(ptr, encodeItimer(c, getRealTimer(c.k, c.p))) ? 0 : -EFAULT;
}

export function setitimer(c: Ctx, which: number, newPtr: number, oldPtr: number): SysResult {
  if (which !== ITIMER_REAL) return otherTimer(c, which);
  let value = 0, interval = 0;
  if (newPtr) {
    const b = c.mem.read(newPtr, c.word * 4);
    if (!b) return -EFAULT;
    const [is, ius] = decodeTimePair(b.subarray(0, c.word * 2), c.word);
    const [vs, vus] = decodeTimePair(b.subarray(c.word * 2), c.word);
    if (ius < 0 || ius >= 1e6 || vus < 0 || vus >= 1e6 || is < 0 || vs < 0) return -EINVAL;
    interval = is * 1e9 + ius * 1000;
    value = vs * 1e9 + vus * 1000;
  }
  const old = getRealTimer(c.k, c.p);
  if (oldPtr && !c.mem.write(oldPtr, encodeItimer(c, old))) return -EFAULT;
  setRealTimer(c.k, c.p, value, interval);
  return 0;
}

// alarm returns the seconds left on the previous timer, rounded to nearest (and never 0 if armed).
export function alarm(c: Ctx, seconds: number): SysResult {
  const [left] = getRealTimer(c.k, c.p);
  const s = Math.floor(left / 1e9), us = Math.floor((left % 1e9) / 1000);
  if (seconds) setRealTimer(c.k, c.p, Math.min(seconds, 0x7fffffff) * 1e9, 0);
  else cancelRealTimer(c.p);
  return s + ((s === 0 && us > 0) || us >= 500000 ? 1 : 0);
}

// ---- sigreturn ---------------------------------------------------------------------

function doSigreturn(c: Ctx, rt: boolean): SysResult {
  const { k, p } = c;
  const r = readFrame(k.core, p, rt);
  if (!r) {
    forceSigsegv(k, p, SIGSEGV);
    return NORETURN;
  }
  p.sig.setBlocked(r.mask);
  // restore_altstack: sigaltstack again with the saved settings; its errors are ignored.
  if (r.altStack) setAltStack(c, k.core.reg(p.cpu, 4), r.altStack.sp, r.altStack.flags, r.altStack.size);
  return NORETURN; // the restored registers include eax/rax
}

export const sigreturn = (c: Ctx) => doSigreturn(c, false);
export const rtSigreturn = (c: Ctx) => doSigreturn(c, true);
