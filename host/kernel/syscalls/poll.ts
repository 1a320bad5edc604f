// poll, ppoll, select, pselect6: wait until one of several files is ready.
// The process parks on every file's wait queue plus a host timer; woken, the
// syscall runs again with its deadline kept in p.pending.
import { EBADF, EFAULT, EINVAL } from "../errno.js";
import { BLOCKED, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM,
  type OpenFile } from "../fs/file.js";
import { FD_LIMIT } from "../fs/fdtable.js";
import { decodeTimePair, encodeTimePair } from "./structs.js";
import type { Ctx, SysResult } from "./types.js";

// The deadline (monotonic ms; Infinity: none) of the wait in progress, set on the first attempt.
function deadline(c: Ctx, timeoutMs: number): number {
  if (typeof c.p.pending === "number") return c.p.pending;
  const d = timeoutMs < 0 ? Infinity : nowMs(c) + timeoutMs;
  c.p.pending = d;
  return d;
}

const nowMs = (c: Ctx) => Number(c.k.platform.monotonicNs()) / 1e6;

// Park until a file changes or the deadline passes.
function waitFor(c: Ctx, files: OpenFile[], until: number): typeof BLOCKED {
  const { k, p } = c;
  const cancels = files.map((f) => f.subscribe(() => k.wake(p)));
  if (until !== Infinity) cancels.push(k.timer(Math.max(0, Math.ceil(until - nowMs(c))), () => k.wake(p)));
  k.block(p, () => { for (const x of cancels) x(); });
  return BLOCKED;
}

// A timeout as ms from a timespec/timeval pointer (NULL: -1, wait forever).
function readTimeout(c: Ctx, ptr: number, word: 4 | 8, unitNs: number): number {
  if (!ptr) return -1;
  const b = c.mem.read(ptr, word * 2);
  if (!b) return -EFAULT;
  const [s, frac] = decodeTimePair(b, word);
  if (s < 0 || frac < 0 || frac * unitNs > 999999999) return -EINVAL;
  return s * 1000 + (frac * unitNs) / 1e6;
}

function pollCore(c: Ctx, fdsPtr: number, nfds: number, timeoutMs: number): SysResult {
  if (nfds >>> 0 > FD_LIMIT) return -EINVAL;
  const raw = c.mem.read(fdsPtr, nfds * 8);
  if (!raw) return -EFAULT;
  const dv = new DataView(raw.buffer);
  const files: OpenFile[] = [];
  let ready = 0;
  for (let i = 0; i < nfds; i++) {
    const fd = dv.getInt32(i * 8, true);
    const events = dv.getUint16(i * 8 + 4, true);
    let rev = 0;
    if (fd >= 0) {
      const f = c.p.fds.get(fd);
      if (!f) rev = POLLNVAL;
      else {
        rev = f.poll() & (events | POLLERR | POLLHUP);
        files.push(f);
      }
    }
    dv.setUint16(i * 8 + 6, rev, true);
    if (rev) ready++;
  }
  const until = deadline(c, timeoutMs);
  if (ready === 0 && nowMs(c) < until) return waitFor(c, files, until);
  return c.mem.write(fdsPtr, raw) ? ready : -EFAULT;
}

export function poll(c: Ctx, fdsPtr: number, nfds: number, timeout: number): SysResult {
  return pollCore(c, fdsPtr, nfds, timeout < 0 ? -1 : timeout);
}

// ppoll's and pselect6's signal mask (set_user_sigmask): in force while the call waits. A
// handler that interrupts the wait runs under it and its sigreturn restores the caller's
// mask (as after sigsuspend); any other ending restores it at once.
const SIGSET_SIZE = 8;
function setMask(c: Ctx, maskPtr: number, size: number): number {
  if (!maskPtr) return 0;
  if (size !== SIGSET_SIZE) return -EINVAL;
  const b = c.mem.read(maskPtr, SIGSET_SIZE);
  if (!b) return -EFAULT;
  const s = c.p.sig;
  s.savedMask = s.blocked;
  s.setBlocked(new DataView(b.buffer).getBigUint64(0, true));
  return 0;
}

function withMask(c: Ctx, maskPtr: number, size: number, call: () => SysResult): SysResult {
  if (typeof c.p.pending !== "number") {
    const err = setMask(c, maskPtr, size);
    if (err) return err;
  }
  const res = call();
  const s = c.p.sig;
  if (res !== BLOCKED && s.savedMask !== null) {
    s.setBlocked(s.savedMask);
    s.savedMask = null;
  }
  return res;
}

function ppollWith(c: Ctx, fdsPtr: number, nfds: number, tsp: number, mask: number, size: number, word: 4 | 8): SysResult {
  const t = typeof c.p.pending === "number" ? 0 : readTimeout(c, tsp, word, 1);
  if (t < -1) return t;
  return withMask(c, mask, size, () => pollCore(c, fdsPtr, nfds, t));
}

export const ppoll = (c: Ctx, fds: number, n: number, tsp: number, mask: number, size: number) =>
  ppollWith(c, fds, n, tsp, mask, size, c.word);
export const ppollTime64 = (c: Ctx, fds: number, n: number, tsp: number, mask: number, size: number) =>
  ppollWith(c, fds, n, tsp, mask, size, 8);

const READ_SET = POLLIN | POLLRDNORM | POLLHUP | POLLERR, WRITE_SET = POLLOUT | POLLWRNORM | POLLERR, EXCEPT_SET = POLLPRI;

// select over fd_set bitmaps of nfds bits (whole words of the ABI).
function selectCore(c: Ctx, nfds: number, sets: number[], timeoutMs: number): SysResult {
  if (nfds < 0) return -EINVAL;
  const n = Math.min(nfds, FD_LIMIT);
  const bytes = Math.ceil(n / (8 * c.word)) * c.word;
  const inp: (Uint8Array | null)[] = [];
  for (const ptr of sets) {
    if (!ptr) { inp.push(null); continue; }
    const b = c.mem.read(ptr, bytes);
    if (!b) return -EFAULT;
    inp.push(b);
  }
  const out = inp.map((b) => (b ? new Uint8Array(b.length) : null));
  const masks = [READ_SET, WRITE_SET, EXCEPT_SET];
  const files: OpenFile[] = [];
  let ready = 0;
  for (let fd = 0; fd < n; fd++) {
    const bit = 1 << (fd & 7), byte = fd >> 3;
    if (!inp.some((b) => b && b[byte] & bit)) continue;
    const f = c.p.fds.get(fd);
    if (!f) return -EBADF;
    files.push(f);
    const ev = f.poll();
    for (let k = 0; k < 3; k++) {
      if (inp[k] && inp[k]![byte] & bit && ev & masks[k]) { out[k]![byte] |= bit; ready++; }
    }
  }
  const until = deadline(c, timeoutMs);
  if (ready === 0 && nowMs(c) < until) return waitFor(c, files, until);
  for (let k = 0; k < 3; k++) if (out[k] && !c.mem.write(sets[k], out[k]!)) return -EFAULT;
  return ready;
}

// Write back the time left (Linux updates select's and pselect6's timeout).
function remaining(c: Ctx, ptr: number, word: 4 | 8, unitNs: number, until: number): boolean {
  if (!ptr || until === Infinity) return true;
  const left = Math.max(0, until - nowMs(c));
  const s = Math.floor(left / 1000);
  return c.mem.write(ptr, encodeTimePair(s, Math.floor(((left - s * 1000) * 1e6) / unitNs), word));
}

function selectWith(c: Ctx, nfds: number, r: number, w: number, e: number, tp: number, word: 4 | 8, unitNs: number): SysResult {
  const t = typeof c.p.pending === "number" ? 0 : readTimeout(c, tp, word, unitNs);
  if (t < -1) return t;
  const res = selectCore(c, nfds, [r, w, e], t);
  if (res === BLOCKED || typeof res !== "number" || res < 0) return res;
  return remaining(c, tp, word, unitNs, c.p.pending as number) ? res : -EFAULT;
}

export const select = (c: Ctx, n: number, r: number, w: number, e: number, tv: number) =>
  selectWith(c, n, r, w, e, tv, c.word, 1000);
// pselect6's sixth argument points at { const sigset_t *ss; size_t ss_len; } in the ABI's words.
function pselectWith(c: Ctx, n: number, r: number, w: number, e: number, ts: number, sig: number, word: 4 | 8): SysResult {
  let mask = 0, size = 0;
  if (sig && typeof c.p.pending !== "number") {
    const b = c.mem.read(sig, c.word * 2);
    if (!b) return -EFAULT;
    const dv = new DataView(b.buffer);
    [mask, size] = c.word === 4 ? [dv.getUint32(0, true), dv.getUint32(4, true)]
      : [Number(dv.getBigUint64(0, true)), Number(dv.getBigUint64(8, true))];
  }
  if (typeof c.p.pending !== "number" && ts) {
    const t = readTimeout(c, ts, word, 1);
    if (t < -1) return t;
  }
  return withMask(c, mask, size, () => selectWith(c, n, r, w, e, ts, word, 1));
}

export const pselect6 = (c: Ctx, n: number, r: number, w: number, e: number, ts: number, sig: number) =>
  pselectWith(c, n, r, w, e, ts, sig, c.word);
export const pselect6Time64 = (c: Ctx, n: number, r: number, w: number, e: number, ts: number, sig: number) =>
  pselectWith(c, n, r, w, e, ts, sig, 8);

// i386 select (old_select): one pointer to {n, inp, outp, exp, tvp}.
export function oldSelect(c: Ctx, argsPtr: number): SysResult {
  const b = c.mem.read(argsPtr, 20);
  if (!b) return -EFAULT;
  const dv = new DataView(b.buffer);
  const a = [0, 4, 8, 12, 16].map((o) => dv.getUint32(o, true));
  return select(c, a[0] | 0, a[1], a[2], a[3], a[4]);
}
