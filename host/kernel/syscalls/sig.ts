// Signal syscalls, before signal delivery exists: dispositions and the mask
// are recorded as Linux records them, and kill applies default actions.
import { EFAULT, EINVAL, EPERM, ESRCH } from "../errno.js";
import type { Process } from "../process.js";
import { SIGCHLD, SIGCONT, SIGKILL, SIGSTOP, killStatus } from "./../signals.js";
import { NORETURN, type Ctx, type SysResult } from "./types.js";

const NSIG = 64;
const SIG_DFL = 0, SIG_IGN = 1;
const SIGURG = 23, SIGWINCH = 28;
const IGNORED_BY_DEFAULT = new Set([SIGCHLD, SIGCONT, SIGURG, SIGWINCH]);

// struct sigaction as the kernel sees it: handler, flags, restorer, mask (words; mask 8 bytes).
function sigactionSize(word: number): number { return word * 3 + 8; }

export function rtSigaction(c: Ctx, sig: number, act: number, oldact: number, setsize: number): SysResult {
  if (setsize !== 8 || sig < 1 || sig > NSIG) return -EINVAL;
  const size = sigactionSize(c.word);
  let next: Uint8Array | null = null;
  if (act) {
    next = c.mem.read(act, size);
    if (!next) return -EFAULT;
    if (sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
  }
  if (oldact && !c.mem.write(oldact, c.p.sigactions.get(sig) ?? new Uint8Array(size))) return -EFAULT;
  if (next) c.p.sigactions.set(sig, next);
  return 0;
}

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const UNBLOCKABLE = (1n << BigInt(SIGKILL - 1)) | (1n << BigInt(SIGSTOP - 1));

export function rtSigprocmask(c: Ctx, how: number, set: number, oldset: number, setsize: number): SysResult {
  if (setsize !== 8) return -EINVAL;
  let next: bigint | null = null;
  if (set) {
    const b = c.mem.read(set, 8);
    if (!b) return -EFAULT;
    const v = new DataView(b.buffer).getBigUint64(0, true);
    if (how === SIG_BLOCK) next = c.p.sigmask | v;
    else if (how === SIG_UNBLOCK) next = c.p.sigmask & ~v;
    else if (how === SIG_SETMASK) next = v;
    else return -EINVAL;
  }
  if (oldset) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, c.p.sigmask, true);
    if (!c.mem.write(oldset, b)) return -EFAULT;
  }
  if (next !== null) c.p.sigmask = next & ~UNBLOCKABLE;
  return 0;
}

function handlerOf(p: Process, sig: number, word: number): number {
  const a = p.sigactions.get(sig);
  if (!a) return SIG_DFL;
  const dv = new DataView(a.buffer, a.byteOffset);
  return word === 4 ? dv.getUint32(0, true) : Number(dv.getBigUint64(0, true));
}

// Send sig to p. Without handler delivery, a caught signal cannot run its handler yet: say so once.
function send(c: Ctx, p: Process, sig: number, code: "SI_USER" | "SI_TKILL"): void {
  if (sig === 0 || p.state === "zombie") return;
  if (sig === SIGKILL || !((p.sigmask >> BigInt(sig - 1)) & 1n)) {
    c.k.tracer?.signal(p, { signo: sig, code, pid: c.p.pid, uid: c.p.creds.uid });
  }
  const h = sig === SIGKILL ? SIG_DFL : handlerOf(p, sig, p.abi.word);
  if (h === SIG_IGN || (h === SIG_DFL && IGNORED_BY_DEFAULT.has(sig))) return;
  if (h !== SIG_DFL) {
    c.k.log(`signal ${sig} to pid ${p.pid}: signal handlers are not implemented; default action taken`);
  }
  if (sig >= 19 && sig <= 22) {
    c.k.log(`signal ${sig} to pid ${p.pid}: job-control stops are not implemented; ignored`);
    return;
  }
  c.k.exit(p, killStatus(sig));
}

export function kill(c: Ctx, pid: number, sig: number, code: "SI_USER" | "SI_TKILL" = "SI_USER"): SysResult {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const { k, p } = c;
  let targets: Process[];
  if (pid > 0) targets = [k.procs.get(pid)].filter((t): t is Process => !!t && t.state !== "zombie");
  else if (pid === 0 || pid < -1) {
    const g = pid === 0 ? p.pgid : -pid;
    targets = [...k.procs.values()].filter((t) => t.pgid === g && t.state !== "zombie");
  } else targets = [...k.procs.values()].filter((t) => t.pid !== 1 && t !== p && t.state !== "zombie");
  if (targets.length === 0) return -ESRCH;
  if (p.creds.euid !== 0 && targets.every((t) => t.creds.uid !== p.creds.uid && t.creds.uid !== p.creds.euid)) return -EPERM;
  for (const t of targets) send(c, t, sig, code);
  return p.state === "zombie" ? NORETURN : 0;
}

export const tkill = (c: Ctx, tid: number, sig: number) => (tid <= 0 ? -EINVAL : kill(c, tid, sig, "SI_TKILL"));
export const tgkill = (c: Ctx, tgid: number, tid: number, sig: number) =>
  (tgid <= 0 || tid <= 0 ? -EINVAL : kill(c, tid, sig, "SI_TKILL"));
