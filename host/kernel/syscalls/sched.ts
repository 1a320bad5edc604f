// Scheduling knobs: nice values (getpriority/setpriority), CPU affinity and
// sched_yield. forkbox runs every process on its one virtual CPU, so a nice
// value is kept, inherited and reported but does not change time slices.
import { EACCES, EFAULT, EINVAL, EPERM, ESRCH } from "../errno.js";
import type { Process } from "../process.js";
import type { Ctx, SysResult } from "./types.js";

const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;
const RLIMIT_NICE = 13;

// The processes `which`/`who` names (who 0: the caller, its group or its uid).
function targets(c: Ctx, which: number, who: number): Process[] | number {
  const live = [...c.k.procs.values()].filter((p) => p.state !== "zombie");
  switch (which) {
    case PRIO_PROCESS: return live.filter((p) => p.pid === (who || c.p.pid));
    case PRIO_PGRP: return live.filter((p) => p.pgid === (who || c.p.pgid));
    case PRIO_USER: return live.filter((p) => p.creds.uid === (who === 0 ? c.p.creds.uid : who >>> 0));
    default: return -EINVAL;
  }
}

// The raw syscall returns 20 - nice of the highest-priority target (glibc undoes it).
export function getpriority(c: Ctx, which: number, who: number): SysResult {
  const ts = targets(c, which, who);
  if (typeof ts === "number") return ts;
  if (!ts.length) return -ESRCH;
  return Math.max(...ts.map((p) => 20 - p.nice));
}

// kernel/sys.c set_one_prio: the caller's real or effective uid must own the
// target unless it is root; lowering nice below 20 - RLIMIT_NICE needs root.
export function setpriority(c: Ctx, which: number, who: number, niceval: number): SysResult {
  const ts = targets(c, which, who);
  if (typeof ts === "number") return ts;
  const nice = Math.min(19, Math.max(-20, niceval));
  const cr = c.p.creds;
  let err = -ESRCH;
  for (const p of ts) {
    if (cr.euid !== 0 && cr.uid !== p.creds.uid && cr.euid !== p.creds.uid) { err = -EPERM; continue; }
    if (nice < p.nice && cr.euid !== 0 && c.p.limits[RLIMIT_NICE][0] < 20 - nice) { err = -EACCES; continue; }
    p.nice = nice;
    if (err === -ESRCH) err = 0;
  }
  return err;
}

// One CPU: the mask has cpu 0 only; the result is the kernel's mask size
// (one long for one CPU), or len when smaller.
export function schedGetaffinity(c: Ctx, pid: number, len: number, ptr: number): SysResult {
  if (pid < 0 || (pid !== 0 && !c.k.procs.has(pid))) return pid < 0 ? -EINVAL : -ESRCH;
  if (len * 8 < 1 || len % c.word !== 0) return -EINVAL;
  const n = Math.min(len, 8);
  const mask = new Uint8Array(n);
  mask[0] = 1;
  return c.mem.write(ptr, mask) ? n : -EFAULT;
}

export function schedSetaffinity(c: Ctx, pid: number, len: number, ptr: number): SysResult {
  if (pid < 0 || (pid !== 0 && !c.k.procs.has(pid))) return pid < 0 ? -EINVAL : -ESRCH;
  const b = c.mem.read(ptr, Math.min(len, 8));
  if (!b) return -EFAULT;
  return b[0] & 1 ? 0 : -EINVAL; // a mask without cpu 0 names no CPU that exists
}

// The one CPU is cpu 0 on node 0.
export function getcpu(c: Ctx, cpu: number, node: number): SysResult {
  if (cpu && !c.mem.writeU32(cpu, 0)) return -EFAULT;
  return node && !c.mem.writeU32(node, 0) ? -EFAULT : 0;
}

export function schedYield(c: Ctx): SysResult {
  c.k.yieldRequested = true;
  return 0;
}
