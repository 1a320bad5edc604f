// Delivery on the way back to user mode (Linux's get_signal + handle_signal):
// one pending, unblocked signal takes its action. A handler gets a frame,
// and a syscall it interrupted fails with EINTR or restarts.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { interruptSyscall } from "../syscalls/dispatch.js";
import { SIGSTOP } from "../signals.js";
import { isOrphaned } from "../tty/session.js";
import { setupFrame } from "./frame.js";
import { IGNORE, STOP, deathStatus, defaultAction, forceSigsegv, initIgnores, killProcess, stopProcess } from "./send.js";
import { SA_NODEFER, SA_RESETHAND, SA_RESTART, SIG_DFL, SIG_IGN, bit } from "./state.js";

export function deliverSignal(k: Kernel, p: Process): void {
  const s = p.sig;
  const info = s.take(~s.blocked);
  if (!info) return;
  k.tracer?.signal(p, info);
  const sig = info.signo;
  const act = s.actions[sig];
  if (act.handler === SIG_IGN) return;
  if (act.handler === SIG_DFL) {
    if (initIgnores(p, info)) return; // blocked while sent, unblocked since: still not for init
    const d = defaultAction(sig);
    if (d === IGNORE) return;
    if (d === STOP) {
      // A terminal stop (SIGTSTP, SIGTTIN, SIGTTOU) does nothing to an orphaned group: nobody could continue it.
      if (sig !== SIGSTOP && isOrphaned(k, p.pgid)) return;
      if (p.restartSyscall) interrupt(k, p, null);
      stopProcess(k, p, sig);
      return;
    }
    killProcess(k, p, deathStatus(p, sig));
    return;
  }
  if (act.flags & SA_RESETHAND) s.resetHandler(sig);
  if (p.restartSyscall) interrupt(k, p, (act.flags & SA_RESTART) !== 0);
  const mask = s.savedMask ?? s.blocked;
  s.savedMask = null;
  if (!setupFrame(k.core, p, { sig, act, info, mask })) {
    forceSigsegv(k, p, sig);
    return;
  }
  s.setBlocked(s.blocked | act.mask | (act.flags & SA_NODEFER ? 0n : bit(sig)));
}

function interrupt(k: Kernel, p: Process, saRestart: boolean | null): void {
  interruptSyscall(k, p, saRestart);
  if (!p.restartSyscall) p.sig.setWaitSet(0n); // sigtimedwait is over
}
