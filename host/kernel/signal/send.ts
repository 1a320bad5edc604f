// Generating signals (Linux's send_signal/prepare_signal/complete_signal),
// default actions, forced fault signals, and what a parent hears about its
// children: SIGCHLD with CLD_* codes, auto-reaping, stop/continue reports.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { SIGCHLD, SIGCONT, SIGKILL, SIGSEGV, SIGSTOP, killStatus } from "../signals.js";
import {
  CLD_CONTINUED, CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, SI_KERNEL, type Siginfo,
} from "./siginfo.js";
import { SA_NOCLDSTOP, SA_NOCLDWAIT, SIG_DFL, SIG_IGN, bit } from "./state.js";

export const TERMINATE = 0, CORE = 1, IGNORE = 2, STOP = 3;
const SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;
const RLIMIT_CORE = 4;

export const STOP_SIGNALS = bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU);
const CORE_SIGNALS = [3, 4, 5, 6, 7, 8, 11, 24, 25, 31].reduce((m, s) => m | bit(s), 0n);
const IGNORE_SIGNALS = bit(SIGCHLD) | bit(SIGCONT) | bit(23) | bit(28); // CHLD CONT URG WINCH

export function defaultAction(sig: number): number {
  const b = bit(sig);
  return b & STOP_SIGNALS ? STOP : b & CORE_SIGNALS ? CORE : b & IGNORE_SIGNALS ? IGNORE : TERMINATE;
}

// The wait status of a death by sig: the core bit only where a core would be written.
export function deathStatus(p: Process, sig: number): number {
  return killStatus(sig, defaultAction(sig) === CORE && p.limits[RLIMIT_CORE][0] !== 0);
}

function ignored(t: Process, sig: number): boolean {
  const h = t.sig.actions[sig].handler;
  return h === SIG_IGN || (h === SIG_DFL && defaultAction(sig) === IGNORE);
}

// End a process that may be blocked or stopped, as a fatal signal does.
export function killProcess(k: Kernel, t: Process, status: number): void {
  t.wakeup?.();
  t.wakeup = null;
  k.exit(t, status);
}

export function sendSignal(k: Kernel, t: Process, info: Siginfo): void {
  const sig = info.signo;
  if (t.state === "zombie") return;
  const s = t.sig;
  if (sig === SIGCONT) {
    s.discard(STOP_SIGNALS);
    if (t.state === "stopped") continueProcess(k, t);
  } else if (bit(sig) & STOP_SIGNALS) {
    s.discard(bit(SIGCONT));
  }
  if (sig === SIGKILL) { killProcess(k, t, killStatus(SIGKILL)); return; }
  const blocked = (s.blocked & bit(sig)) !== 0n;
  // Dropped or fatal at once: a tracer still sees the signal arrive (strace's "--- SIG ---").
  if (!blocked && ignored(t, sig)) {
    k.tracer?.signal(t, info);
    return;
  }
  // A signal whose default action kills, and that nothing blocks, kills at once
  // (a stopped process only once continued).
  if (!blocked && t.state !== "stopped" && s.actions[sig].handler === SIG_DFL && defaultAction(sig) === TERMINATE) {
    k.tracer?.signal(t, info);
    killProcess(k, t, killStatus(sig));
    return;
  }
  s.enqueue(info);
  if (t.state === "blocked" && t.restartSyscall && s.interruptsWait()) k.wake(t);
}

// A fault signal cannot be blocked or ignored: either makes it take the default action.
export function forceSignal(k: Kernel, t: Process, info: Siginfo): void {
  const s = t.sig;
  const a = s.actions[info.signo];
  const blocked = (s.blocked & bit(info.signo)) !== 0n;
  if (blocked || a.handler === SIG_IGN) {
    s.setHandler(info.signo, SIG_DFL);
    if (blocked) s.setBlocked(s.blocked & ~bit(info.signo));
  }
  s.enqueue(info);
}

// A frame that cannot be written: SIGSEGV, and a SIGSEGV handler that caused it is dropped.
export function forceSigsegv(k: Kernel, t: Process, sig: number): void {
  if (sig === SIGSEGV) t.sig.setHandler(SIGSEGV, SIG_DFL);
  forceSignal(k, t, { signo: SIGSEGV, code: SI_KERNEL, kind: "kernel" });
}

function notifyParent(k: Kernel, child: Process, code: number, status: number): void {
  const parent = child.parent;
  if (!parent || parent.state === "zombie") return;
  if ((code === CLD_STOPPED || code === CLD_CONTINUED) && parent.sig.actions[SIGCHLD].flags & SA_NOCLDSTOP) return;
  sendSignal(k, parent, { signo: SIGCHLD, code, kind: "chld", pid: child.pid, uid: child.creds.uid, status });
}

// The child has exited: signal the parent, and wake it if it waits.
// Returns true when the parent asked (SIG_IGN or SA_NOCLDWAIT) for no zombie.
export function childExited(k: Kernel, child: Process): boolean {
  const parent = child.parent;
  if (!parent) return false;
  const act = parent.sig.actions[SIGCHLD];
  const autoreap = child.exitSignal === SIGCHLD && (act.handler === SIG_IGN || (act.flags & SA_NOCLDWAIT) !== 0);
  const st = child.waitStatus;
  const code = (st & 0x7f) === 0 ? CLD_EXITED : st & 0x80 ? CLD_DUMPED : CLD_KILLED;
  const status = code === CLD_EXITED ? (st >> 8) & 0xff : st & 0x7f;
  if (child.exitSignal && parent.state !== "zombie") {
    sendSignal(k, parent, { signo: child.exitSignal, code, kind: "chld", pid: child.pid, uid: child.creds.uid, status });
  }
  parent.childEvent?.();
  return autoreap;
}

export function stopProcess(k: Kernel, p: Process, sig: number): void {
  p.state = "stopped";
  p.sig.stopped = sig;
  p.sig.report = (sig << 8) | 0x7f;
  notifyParent(k, p, CLD_STOPPED, sig);
  p.parent?.childEvent?.();
}

function continueProcess(k: Kernel, p: Process): void {
  p.sig.stopped = 0;
  p.sig.report = 0xffff;
  k.wake(p);
  notifyParent(k, p, CLD_CONTINUED, SIGCONT);
  p.parent?.childEvent?.();
}

// A wait's view of a live child: a stop (WSTOPPED) or continue (WCONTINUED) not yet
// reported, as a wait status, or 0. WNOWAIT (keep) leaves it to report again.
const WSTOPPED = 2, WCONTINUED = 8;
export function takeStateChange(child: Process, options: number, keep: boolean): number {
  const r = child.sig.report;
  const wanted = r === 0xffff ? options & WCONTINUED : r ? options & WSTOPPED : 0;
  if (!wanted || (r !== 0xffff && child.state !== "stopped")) return 0;
  if (!keep) child.sig.report = 0;
  return r;
}
