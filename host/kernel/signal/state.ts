// A process's signal state: dispositions, blocked mask, pending signals
// (standard ones at most once, real-time ones queued in order), the
// alternate stack and job-control reports for wait.
import type { RealTimer } from "./itimer.js";
import type { Siginfo } from "./siginfo.js";

export const NSIG = 64;
export const SIGRTMIN = 32;
export const SIG_DFL = 0, SIG_IGN = 1;

export const SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_EXPOSE_TAGBITS = 0x800,
  SA_RESTORER = 0x04000000, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000,
  SA_RESETHAND = 0x80000000;
// The flags Linux keeps (UAPI_SA_FLAGS); others, SA_UNSUPPORTED included, are dropped.
export const SA_KNOWN = (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_EXPOSE_TAGBITS | SA_RESTORER | SA_ONSTACK |
  SA_RESTART | SA_NODEFER | SA_RESETHAND) >>> 0;

export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 0x80000000;

export const bit = (sig: number): bigint => 1n << BigInt(sig - 1);
export const UNBLOCKABLE = bit(9) | bit(19); // SIGKILL, SIGSTOP
// Synchronous (fault) signals are dequeued before others, as Linux's next_signal does.
const SYNCHRONOUS = bit(4) | bit(5) | bit(7) | bit(8) | bit(11) | bit(31);

export interface SigAction { readonly handler: number; readonly flags: number; readonly restorer: number;
  readonly mask: bigint; }

// Actions are never changed in place: a change replaces the slot's object, so
// fork copies only the array and every process can share these two.
const DEFAULT: SigAction = Object.freeze({ handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n });
const IGNORE: SigAction = Object.freeze({ handler: SIG_IGN, flags: 0, restorer: 0, mask: 0n });

export class SignalState {
  blocked = 0n;
  private pendingSet = 0n;
  private queue: Siginfo[] = []; // arrival order
  // True when a pending signal is not blocked: checked before every run().
  deliverable = false;
  savedMask: bigint | null = null; // sigsuspend's mask, restored by the handler's sigreturn
  private waitSet = 0n; // signals rt_sigtimedwait takes itself rather than delivering them
  timer: RealTimer | null = null; // ITIMER_REAL
  altSp = 0;
  altSize = 0;
  altFlags = SS_DISABLE;
  stopped = 0; // the stop signal while stopped
  report = 0; // stopped/continued status word waiting for wait4 (WUNTRACED/WCONTINUED), 0 if none

  // fork passes a copy of the parent's actions; a new process starts with the defaults.
  constructor(public actions: SigAction[] = new Array<SigAction>(NSIG + 1).fill(DEFAULT)) {}

  get pending(): bigint { return this.pendingSet; }

  setBlocked(mask: bigint): void {
    this.blocked = mask & ~UNBLOCKABLE;
    this.recalc();
  }

  setWaitSet(set: bigint): void {
    this.waitSet = set;
    this.recalc();
  }

  private recalc(): void {
    this.deliverable = this.pendingSet !== 0n && (this.pendingSet & ~this.blocked & ~this.waitSet) !== 0n;
  }

  // A blocked syscall should be woken: something can be delivered or waited for.
  interruptsWait(): boolean {
    return this.deliverable || (this.pendingSet & this.waitSet) !== 0n;
  }

  isPending(sig: number): boolean { return (this.pendingSet & bit(sig)) !== 0n; }

  // Queue a signal. A standard signal already pending is not queued again.
  enqueue(info: Siginfo): void {
    const b = bit(info.signo);
    if (info.signo < SIGRTMIN && (this.pendingSet & b)) return;
    this.pendingSet |= b;
    this.queue.push(info);
    this.recalc();
  }

  // Take the next signal among `allowed`: synchronous ones first, then the lowest number,
  // and for one number the oldest.
  take(allowed: bigint): Siginfo | null {
    const avail = this.pendingSet & allowed;
    if (!avail) return null;
    const pick = (avail & SYNCHRONOUS) || avail;
    const sig = lowestBit(pick);
    const i = this.queue.findIndex((q) => q.signo === sig);
    const info = this.queue[i];
    this.queue.splice(i, 1);
    if (!this.queue.some((q) => q.signo === sig)) this.pendingSet &= ~bit(sig);
    this.recalc();
    return info;
  }

  // Drop every pending instance of the signals in `set`.
  discard(set: bigint): void {
    if (!(this.pendingSet & set)) return;
    this.queue = this.queue.filter((q) => !(bit(q.signo) & set));
    this.pendingSet &= ~set;
    this.recalc();
  }

  // The handler back to SIG_DFL, flags and mask kept (SA_RESETHAND, a forced fault), as Linux does.
  resetHandler(sig: number): void {
    const a = this.actions[sig];
    if (a.handler !== SIG_DFL) this.actions[sig] = { ...a, handler: SIG_DFL };
  }

  // fork: dispositions, mask and alternate stack are inherited; nothing is pending.
  forkCopy(): SignalState {
    const s = new SignalState(this.actions.slice());
    s.blocked = this.blocked;
    s.altSp = this.altSp;
    s.altSize = this.altSize;
    s.altFlags = this.altFlags;
    return s;
  }

  // flush_signal_handlers (execve, CLONE_CLEAR_SIGHAND): caught signals return to
  // SIG_DFL, ignored ones stay ignored, flags and masks are cleared.
  resetHandlers(): void {
    const a = this.actions;
    for (let i = 0; i < a.length; i++) a[i] = a[i].handler === SIG_IGN ? IGNORE : DEFAULT;
  }

  // execve: handlers reset; the blocked mask and pending signals stay; the alternate stack goes.
  onExec(): void {
    this.resetHandlers();
    this.altSp = 0;
    this.altSize = 0;
    this.altFlags = SS_DISABLE;
  }

  // sas_ss_flags(): whether sp is on the alternate stack.
  onAltStack(sp: number): boolean {
    if (this.altFlags & SS_AUTODISARM) return false;
    return sp > this.altSp && sp - this.altSp <= this.altSize;
  }
  altStackFlags(sp: number): number {
    return this.altSize === 0 ? SS_DISABLE : this.onAltStack(sp) ? SS_ONSTACK : 0;
  }
}

export function lowestBit(set: bigint): number {
  let sig = 1;
  let lo = Number(set & 0xffffffffn);
  if (lo === 0) { sig = 33; lo = Number(set >> 32n); }
  return sig + 31 - Math.clz32(lo & -lo);
}
