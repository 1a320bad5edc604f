// futex for processes with one thread: nothing can ever be waiting, so a wake
// wakes nobody, and a wait whose value still matches could only end by a
// signal or timeout, which forkbox cannot deliver to it yet: that is reported
// and fails with ENOSYS instead of hanging.
import { EAGAIN, EFAULT, EINVAL, ENOSYS } from "../errno.js";
import type { Ctx, SysResult } from "./types.js";

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const OP_NAMES = ["WAIT", "WAKE", "FD", "REQUEUE", "CMP_REQUEUE", "WAKE_OP", "LOCK_PI", "UNLOCK_PI", "TRYLOCK_PI",
  "WAIT_BITSET", "WAKE_BITSET", "WAIT_REQUEUE_PI", "CMP_REQUEUE_PI", "LOCK_PI2"];
const reported = new Set<string>();

function unsupported(c: Ctx, what: string): SysResult {
  if (!reported.has(what)) {
    reported.add(what);
    c.k.log(`unsupported futex ${what}`);
  }
  return -ENOSYS;
}

export function futex(c: Ctx, uaddr: number, op: number, val: number, _timeout: number, _uaddr2: number,
  val3: number): SysResult {
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  if (op & FUTEX_CLOCK_REALTIME && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT) return -ENOSYS;
  switch (cmd) {
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET:
      if (uaddr % 4 !== 0 || (cmd === FUTEX_WAKE_BITSET && val3 === 0)) return -EINVAL;
      return 0;
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
      if (uaddr % 4 !== 0 || (cmd === FUTEX_WAIT_BITSET && val3 === 0)) return -EINVAL;
      const b = c.mem.read(uaddr, 4);
      if (!b) return -EFAULT;
      if (new DataView(b.buffer, b.byteOffset).getUint32(0, true) !== val >>> 0) return -EAGAIN;
      return unsupported(c, "wait with no other thread to wake it");
    }
    default:
      return unsupported(c, OP_NAMES[cmd] ?? `op ${cmd}`);
  }
}
