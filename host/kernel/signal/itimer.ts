// ITIMER_REAL (alarm, setitimer): a host timer per process that sends
// SIGALRM, re-armed by its interval. Kept across execve, cleared in a fork child.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { SIGALRM } from "../signals.js";
import { sendSignal } from "./send.js";
import { SI_KERNEL } from "./siginfo.js";

export interface RealTimer { deadlineNs: number; intervalNs: number; cancel: () => void; }

// Remaining time and interval of p's timer, in ns (0, 0 when disarmed).
export function getRealTimer(k: Kernel, p: Process): [number, number] {
  const t = p.sig.timer;
  if (!t) return [0, 0];
  const left = Math.max(1000, t.deadlineNs - Number(k.platform.monotonicNs())); // an armed timer never reads 0
  return [left, t.intervalNs];
}

export function setRealTimer(k: Kernel, p: Process, valueNs: number, intervalNs: number): void {
  p.sig.timer?.cancel();
  p.sig.timer = null;
  if (valueNs <= 0) return;
  const deadlineNs = Number(k.platform.monotonicNs()) + valueNs;
  const t: RealTimer = { deadlineNs, intervalNs, cancel: () => {} };
  t.cancel = k.timer(Math.ceil(valueNs / 1e6), () => {
    p.sig.timer = null;
    if (p.state === "zombie") return;
    if (intervalNs > 0) setRealTimer(k, p, intervalNs, intervalNs);
    sendSignal(k, p, { signo: SIGALRM, code: SI_KERNEL, kind: "kernel" });
  });
  p.sig.timer = t;
}

export function cancelRealTimer(p: Process): void {
  p.sig.timer?.cancel();
  p.sig.timer = null;
}
