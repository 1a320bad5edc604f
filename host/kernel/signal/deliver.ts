// Delivery on the way back to user mode (Linux's get_signal + handle_signal):
// one pending, unblocked signal takes its action. A handler gets a frame,
// and a syscall it interrupted fails with EINTR or restarts.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { interruptSyscall } from "../syscalls/dispatch.js";
import { setupFrame } from "./frame.js";
import { IGNORE, STOP, deathStatus, defaultAction, forceSigsegv, killProcess, stopProcess } from "./send.js";
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
    const d = defaultAction(sig);
    if (d === IGNORE) return;
    if (d === STOP) {
      if (p.restartSyscall) interrupt(k, p, null);
      stopProcess(k, p, sig);
      return;
    }
    killProcess(k, p, deathStatus(p, sig));
    return;
  }
  const handler = { ...act };
  if (act.flags & SA_RESETHAND) s.setHandler(sig, SIG_DFL);
  if (p.restartSyscall) interrupt(k, p, (act.flags & SA_RESTART) !== 0);
  const mask = s.savedMask ?? s.blocked;
  s.savedMask = null;
  if (!setupFrame(k.core, p, { sig, act: handler, info, mask })) {
    forceSigsegv(k, p, sig);
    return;
  }
  s.setBlocked(s.blocked | handler.mask | (handler.flags & SA_NODEFER ? 0n : bit(sig)));
}

function interrupt(k: Kernel, p: Process, saRestart: boolean | null): void {
  interruptSyscall(k, p, saRestart);
  if (!p.restartSyscall) p.sig.setWaitSet(0n); // sigtimedwait is over
}
