// Time, limits and small per-process settings.
import { EFAULT, EINVAL, EPERM, ESRCH } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import { decodeTimePair, encodeRlimit, encodeTimePair, utsname } from "./structs.js";
import type { Ctx, SysResult } from "./types.js";

export const uname = (c: Ctx, buf: number) => (c.mem.write(buf, utsname(c.k.system, "x86_64")) ? 0 : -EFAULT);

// ---- time --------------------------------------------------------------

const CLOCK_REALTIME = 0, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_REALTIME_COARSE = 5,
  CLOCK_TAI = 11, TIMER_ABSTIME = 1;

// Nanoseconds on a clock, or -1 for an unknown clock. CPU-time clocks count
// one nanosecond per instruction retired: reproducible and monotonic.
function clockNs(c: Ctx, clk: number): number {
  switch (clk) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_TAI: return c.k.platform.nowMs() * 1e6;
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID: return c.k.cpuTime(c.p);
    case 1: case 4: case 6: case 7: case 8: case 9: return Number(c.k.platform.monotonicNs());
    default: return -1;
  }
}

function putTime(c: Ctx, ptr: number, ns: number, word: 4 | 8, unitNs = 1): SysResult {
  const s = Math.floor(ns / 1e9);
  return c.mem.write(ptr, encodeTimePair(s, Math.floor((ns - s * 1e9) / unitNs), word)) ? 0 : -EFAULT;
}

export function clockGettime(c: Ctx, clk: number, ts: number): SysResult {
  const ns = clockNs(c, clk);
  return ns < 0 ? -EINVAL : putTime(c, ts, ns, c.word);
}

// i386 clock_gettime64: a 64-bit timespec.
export function clockGettime64(c: Ctx, clk: number, ts: number): SysResult {
  const ns = clockNs(c, clk);
  return ns < 0 ? -EINVAL : putTime(c, ts, ns, 8);
}

// The coarse clocks tick with the timer interrupt (4 ms at HZ=250); the others are exact.
function getres(c: Ctx, clk: number, ts: number, word: 4 | 8): SysResult {
  if (clockNs(c, clk) < 0) return -EINVAL;
  return ts ? putTime(c, ts, clk === CLOCK_REALTIME_COARSE || clk === 6 ? 4e6 : 1, word) : 0;
}
export const clockGetres = (c: Ctx, clk: number, ts: number) => getres(c, clk, ts, c.word);
export const clockGetresTime64 = (c: Ctx, clk: number, ts: number) => getres(c, clk, ts, 8);

// The timezone, when asked for, is UTC without DST (tz_minuteswest, tz_dsttime), as Linux keeps it by default.
export function gettimeofday(c: Ctx, tv: number, tz: number): SysResult {
  if (tv && putTime(c, tv, c.k.platform.nowMs() * 1e6, c.word, 1000) !== 0) return -EFAULT;
  return tz && !c.mem.write(tz, new Uint8Array(8)) ? -EFAULT : 0;
}

export function time(c: Ctx, tloc: number): SysResult {
  const t = Math.floor(c.k.platform.nowMs() / 1000);
  if (tloc && !c.mem.write(tloc, encodeTimePair(t, 0, c.word).subarray(0, c.word))) return -EFAULT;
  return t;
}

// Sleep until an absolute monotonic deadline; the syscall reruns after the timer.
function sleepUntil(c: Ctx, deadlineNs: number): SysResult {
  const now = Number(c.k.platform.monotonicNs());
  if (now >= deadlineNs) { c.p.pending = null; return 0; }
  c.p.pending = deadlineNs;
  c.k.block(c.p, c.k.timer(Math.ceil((deadlineNs - now) / 1e6), () => c.k.wake(c.p)));
  return BLOCKED;
}

// A sleep cut short by a signal handler reports the time it had left.
function writeRemaining(c: Ctx, rem: number, word: 4 | 8): void {
  if (!rem || typeof c.p.pending !== "number") return;
  void putTime(c, rem, Math.max(0, c.p.pending - Number(c.k.platform.monotonicNs())), word);
}

export const nanosleepInterrupted = (c: Ctx, _req: number, rem: number) => writeRemaining(c, rem, c.word);
export const clockNanosleepInterrupted = (c: Ctx, _clk: number, flags: number, _req: number, rem: number) =>
  flags & TIMER_ABSTIME ? undefined : writeRemaining(c, rem, c.word);
export const clockNanosleep64Interrupted = (c: Ctx, _clk: number, flags: number, _req: number, rem: number) =>
  flags & TIMER_ABSTIME ? undefined : writeRemaining(c, rem, 8);

function readTimespec(c: Ctx, ptr: number, word: 4 | 8): number {
  const b = c.mem.read(ptr, word * 2);
  if (!b) return -EFAULT;
  const [s, ns] = decodeTimePair(b, word);
  if (s < 0 || ns < 0 || ns > 999999999) return -EINVAL;
  return s * 1e9 + ns;
}

export function nanosleep(c: Ctx, req: number, _rem: number): SysResult {
  if (typeof c.p.pending === "number") return sleepUntil(c, c.p.pending);
  const ns = readTimespec(c, req, c.word);
  if (ns < 0) return ns;
  return sleepUntil(c, Number(c.k.platform.monotonicNs()) + ns);
}

function clockNanosleepWord(c: Ctx, clk: number, flags: number, req: number, word: 4 | 8): SysResult {
  if (typeof c.p.pending === "number") return sleepUntil(c, c.p.pending);
  if (clk === CLOCK_THREAD_CPUTIME_ID) return -EINVAL;
  const base = clockNs(c, clk);
  if (base < 0) return -EINVAL;
  const ns = readTimespec(c, req, word);
  if (ns < 0) return ns;
  const mono = Number(c.k.platform.monotonicNs());
  return sleepUntil(c, flags & TIMER_ABSTIME ? mono + (ns - base) : mono + ns);
}

export const clockNanosleep = (c: Ctx, clk: number, flags: number, req: number) =>
  clockNanosleepWord(c, clk, flags, req, c.word);
export const clockNanosleep64 = (c: Ctx, clk: number, flags: number, req: number) =>
  clockNanosleepWord(c, clk, flags, req, 8);

// ---- small per-process settings ------------------------------------------

export function umask(c: Ctx, mask: number): SysResult {
  const old = c.p.umask;
  c.p.umask = mask & 0o777;
  return old;
}

// ---- limits ----------------------------------------------------------------

const RLIM_NLIMITS = 16;
const RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_SIGPENDING = 11,
  RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14;

// The limits a first process starts with. Pairs are shared (frozen):
// setrlimit replaces a process's pair, never changes one.
const DEFAULT_LIMITS: (readonly [number, number])[] = (() => {
  const l: [number, number][] = Array.from({ length: RLIM_NLIMITS }, () => [Infinity, Infinity]);
  l[RLIMIT_STACK] = [8 * 1024 * 1024, Infinity];
  l[RLIMIT_CORE] = [0, Infinity];
  l[RLIMIT_NPROC] = [63459, 63459];
  l[RLIMIT_NOFILE] = [1024, 1048576];
  l[RLIMIT_MEMLOCK] = [8 * 1024 * 1024, 8 * 1024 * 1024];
  l[RLIMIT_SIGPENDING] = [63459, 63459];
  l[RLIMIT_MSGQUEUE] = [819200, 819200];
  l[RLIMIT_NICE] = [0, 0];
  l[RLIMIT_RTPRIO] = [0, 0];
  return l.map((pair) => Object.freeze(pair));
})();

export function defaultLimits(): (readonly [number, number])[] {
  return DEFAULT_LIMITS.slice();
}

function readRlimit(c: Ctx, ptr: number, word: 4 | 8): [number, number] | number {
  const b = c.mem.read(ptr, word * 2);
  if (!b) return -EFAULT;
  const dv = new DataView(b.buffer);
  const get = (o: number) => {
    const v = word === 4 ? dv.getUint32(o, true) : dv.getBigUint64(o, true);
    return word === 4 ? (v === 0xffffffff ? Infinity : Number(v)) : v === 0xffffffffffffffffn ? Infinity : Number(v);
  };
  return [get(0), get(word)];
}

// One implementation for getrlimit, setrlimit and prlimit64 (word: struct width).
function rlimit(c: Ctx, pid: number, res: number, newPtr: number, oldPtr: number, word: 4 | 8): SysResult {
  if (res < 0 || res >= RLIM_NLIMITS) return -EINVAL;
  const p = pid === 0 ? c.p : c.k.procs.get(pid);
  if (!p || p.state === "zombie") return -ESRCH;
  let next: [number, number] | null = null;
  if (newPtr) {
    const r = readRlimit(c, newPtr, word);
    if (typeof r === "number") return r;
    if (r[0] > r[1]) return -EINVAL;
    if (r[1] > p.limits[res][1] && c.p.creds.euid !== 0) return -EPERM;
    next = r;
  }
  if (oldPtr) {
    const [cur, max] = p.limits[res];
    // The i386 getrlimit ABI reports values that do not fit as RLIM_INFINITY.
    const clamp = (v: number) => (word === 4 && v >= 0xffffffff ? Infinity : v);
    if (!c.mem.write(oldPtr, encodeRlimit(clamp(cur), clamp(max), word))) return -EFAULT;
  }
  if (next) p.limits[res] = next;
  return 0;
}

export const prlimit64 = (c: Ctx, pid: number, res: number, n: number, o: number) => rlimit(c, pid, res, n, o, 8);
export const getrlimit = (c: Ctx, res: number, o: number) => rlimit(c, 0, res, 0, o, c.word);
export const setrlimit = (c: Ctx, res: number, n: number) => rlimit(c, 0, res, n, 0, c.word);

// ---- glibc start-up ----------------------------------------------------------

export function getrandom(c: Ctx, buf: number, len: number, flags: number): SysResult {
  if (flags & ~7) return -EINVAL;
  const n = Math.min(len, 33554431);
  const b = new Uint8Array(n);
  c.k.platform.randomBytes(b);
  return c.mem.write(buf, b) ? n : -EFAULT;
}

export function setRobustList(c: Ctx, head: number, len: number): SysResult {
  if (len !== c.word * 3) return -EINVAL;
  c.p.robustList = head;
  return 0;
}

// rseq: one CPU, so registration only has to publish cpu 0.
const RSEQ_FLAG_UNREGISTER = 1;
export function rseq(c: Ctx, ptr: number, len: number, flags: number, _sig: number): SysResult {
  if (flags & ~RSEQ_FLAG_UNREGISTER || len < 32 || ptr % 32 !== 0) return -EINVAL;
  if (flags & RSEQ_FLAG_UNREGISTER) {
    if (c.p.rseq !== ptr) return -EINVAL;
    c.p.rseq = 0;
    return 0;
  }
  if (c.p.rseq) return c.p.rseq === ptr ? -16 : -EINVAL; // EBUSY when registered twice
  if (!c.mem.write(ptr, new Uint8Array(8))) return -EFAULT;
  c.p.rseq = ptr;
  return 0;
}

// sysinfo: uptime is CLOCK_MONOTONIC's seconds (as Linux's boot time), Wasm's 4 GiB as the RAM, the
// frames in use as what is not free, no swap, and the process count.
const WASM_MEMORY = 2 ** 32;
export function sysinfo(c: Ctx, buf: number): SysResult {
  const w = c.word;
  const b = new Uint8Array(w === 8 ? 112 : 64);
  const dv = new DataView(b.buffer);
  const put = (i: number, v: number) => {
    if (w === 8) dv.setBigUint64(i * 8, BigInt(v), true); else dv.setUint32(i * 4, v >>> 0, true);
  };
  const used = c.k.core.x.statFramesUsed() * 4096;
  put(0, Math.floor(Number(c.k.platform.monotonicNs()) / 1e9));
  put(4, WASM_MEMORY / (w === 8 ? 1 : 4096)); // totalram, in mem_unit
  put(5, (WASM_MEMORY - used) / (w === 8 ? 1 : 4096));
  dv.setUint16(10 * w, Math.min(c.k.procs.size, 0xffff), true); // procs
  dv.setUint32(w === 8 ? 104 : 52, w === 8 ? 1 : 4096, true); // mem_unit
  return c.mem.write(buf, b) ? 0 : -EFAULT;
}

