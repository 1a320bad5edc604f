// One printer per argument type of the syscall tables (syscalls/types.ts).
// A printer returns null when strace leaves the argument out (open's mode
// without O_CREAT, fcntl's arg for F_GETFL, clone's unused pointers).
import type { GuestMemory } from "../../core/memory.js";
import { SIGNED32, SIGNEDWORD, type ArgType } from "../syscalls/types.js";
import { readSigset, sigaction, signalName, waitStatus } from "./signals.js";
import { iovec, rlimit, stat, statx, timePair, userDesc, userDescEntry, utsname } from "./structs.js";
import { addr, argv, buffer, cstring, envp, path } from "./values.js";
import {
  ACCESS_MODE, ARCH_PRCTL, CLOCKS, CLONE_FLAGS, FCNTL_CMDS, FD_FLAGS, GETRANDOM_FLAGS, IOCTLS, MADVISE, PROT,
  RLIMITS, SIGPROCMASK_HOW, TIMER_FLAGS, WAIT_OPTIONS, WHENCE, PRIO_WHICH, AT_FLAGS, STATX_MASK,
  flags, hex, mapFlags, octal, openFlags, statxFlags, xlat,
} from "./xlat.js";

export interface ArgCtx {
  mem: GuestMemory;
  word: 4 | 8;
  types: readonly ArgType[];
  args: readonly number[];
  i: number; // this argument's index
  ret: number; // the result, for "_out" types (negative: an errno)
  entry: readonly (string | null)[]; // what the arguments printed as at entry
}

type Printer = (v: number, c: ArgCtx) => string | null;

export const isOutput = (t: ArgType): boolean => t.endsWith("_out");

const num = (v: number) => String(v);
const hexOrZero = (v: number) => (v ? hex(v) : "0");
const argOf = (c: ArgCtx, t: ArgType) => c.args[c.types.indexOf(t)] ?? 0;
const AT_FDCWD = -100, O_CREAT = 0o100, O_TMPFILE = 0o20000000;
const F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
const NO_ARG_FCNTL = new Set([F_GETFD, F_GETFL, 9, 11, 1025, 1032, 1034]); // the F_GET* commands
const CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;

// Output arguments of a failed call print as the address they point to.
const out = (p: Printer): Printer => (v, c) => (c.ret < 0 ? addr(v) : p(v, c));

function cloneFlags(v: number): string {
  const sig = v & 0xff, rest = v & ~0xff;
  const parts = [];
  if (rest) parts.push(flags(rest, CLONE_FLAGS));
  if (sig) parts.push(signalName(sig));
  return `flags=${parts.length ? parts.join("|") : "0"}`;
}

const PRINTERS: Partial<Record<ArgType, Printer>> = {
  int: num, fd: num, pid: num, long: num, off: num, uint: num, ulong: num, size: num,
  ptr: addr, hex: hexOrZero, flags: hexOrZero, mode: octal,
  str: (v, c) => cstring(c.mem, v), path: (v, c) => path(c.mem, v),
  signal: (v) => (v === 0 ? "0" : signalName(v)),
  dirfd: (v) => (v === AT_FDCWD ? "AT_FDCWD" : String(v)),
  open_flags: openFlags,
  open_mode: (v, c) => (c.args[c.i - 1] & (O_CREAT | O_TMPFILE) ? octal(v) : null),
  at_flags: (v) => flags(v, AT_FLAGS),
  statx_flags: statxFlags,
  statx_mask: (v) => flags(v, STATX_MASK),
  access_mode: (v) => flags(v, ACCESS_MODE, "F_OK"),
  whence: (v) => xlat(v, WHENCE, "SEEK_???"),
  prio_which: (v) => xlat(v, PRIO_WHICH, "PRIO_???"),
  prot: (v) => flags(v, PROT, "PROT_NONE"),
  map_flags: mapFlags,
  mmap_off: hexOrZero,
  mmap_pgoff: (v) => hexOrZero(v * 4096),
  madvise_advice: (v) => xlat(v, MADVISE, "MADV_???"),
  wait_options: (v) => flags(v, WAIT_OPTIONS),
  clone_flags: cloneFlags,
  clone_stack: (v) => `child_stack=${addr(v)}`,
  clone_ptid: (v, c) => (argOf(c, "clone_flags") & CLONE_PARENT_SETTID ? `parent_tid=${addr(v)}` : null),
  clone_ctid: (v, c) =>
    (argOf(c, "clone_flags") & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) ? `child_tidptr=${addr(v)}` : null),
  clone_tls: (v, c) => {
    if (!(argOf(c, "clone_flags") & CLONE_SETTLS)) return null;
    return `tls=${c.word === 4 ? userDesc(c.mem, v) : addr(v)}`;
  },
  getrandom_flags: (v) => flags(v, GETRANDOM_FLAGS),
  timer_flags: (v) => flags(v, TIMER_FLAGS),
  clockid: (v) => xlat(v, CLOCKS, "CLOCK_???"),
  rlimit_resource: (v) => xlat(v, RLIMITS, "RLIMIT_???", false),
  arch_prctl_code: (v) => xlat(v, ARCH_PRCTL, "ARCH_???"),
  arch_prctl_addr: hexOrZero,
  sigprocmask_how: (v) => xlat(v, SIGPROCMASK_HOW, "SIG_???"),
  ioctl_cmd: (v) => xlat(v, IOCTLS, "_IOC_???"),
  fcntl_cmd: (v) => xlat(v, FCNTL_CMDS, "F_???"),
  fcntl_arg: (v, c) => {
    const cmd = c.args[c.i - 1];
    if (NO_ARG_FCNTL.has(cmd)) return null;
    if (cmd === F_SETFD) return flags(v, FD_FLAGS);
    if (cmd === F_SETFL) return openFlags(v);
    return String(v | 0);
  },
  llseek_hi: () => null,
  llseek_lo: (v, c) => String(c.args[c.i - 1] * 2 ** 32 + v),
  buf_in: (v, c) => buffer(c.mem, v, c.args[c.i + 1]),
  argv: (v, c) => argv(c.mem, v, c.word),
  envp: (v, c) => envp(c.mem, v, c.word),
  iovec_in: (v, c) => iovec(c.mem, v, c.args[c.i + 1], c.word, Infinity),
  sigset_in: (v, c) => readSigset(c.mem, v),
  sigaction_in: (v, c) => sigaction(c.mem, v, c.word),
  timespec_in: (v, c) => timePair(c.mem, v, c.word, "tv_nsec"),
  timespec64_in: (v, c) => timePair(c.mem, v, 8, "tv_nsec"),
  rlimit_in: (v, c) => rlimit(c.mem, v, c.word, "RLIM_INFINITY"),
  rlimit64_in: (v, c) => rlimit(c.mem, v, 8, "RLIM64_INFINITY"),
  user_desc: (v, c) => userDesc(c.mem, v),
  buf_out: out((v, c) => buffer(c.mem, v, c.ret)),
  hexbuf_out: out((v, c) => buffer(c.mem, v, c.ret, true)),
  str_out: out((v, c) => cstring(c.mem, v)),
  path_out: out((v, c) => path(c.mem, v)),
  iovec_out: out((v, c) => iovec(c.mem, v, c.args[c.i + 1], c.word, c.ret)),
  stat_out: out((v, c) => stat(c.mem, v, c.word)),
  statx_out: out((v, c) => statx(c.mem, v)),
  wstatus_out: (v, c) => (c.ret > 0 && v ? waitStatus(c.mem.u32(v) ?? 0) : addr(v)),
  sigset_out: out((v, c) => readSigset(c.mem, v)),
  sigaction_out: out((v, c) => sigaction(c.mem, v, c.word)),
  timespec_out: out((v, c) => timePair(c.mem, v, c.word, "tv_nsec")),
  timespec64_out: out((v, c) => timePair(c.mem, v, 8, "tv_nsec")),
  timeval_out: out((v, c) => timePair(c.mem, v, c.word, "tv_usec")),
  rlimit_out: out((v, c) => rlimit(c.mem, v, c.word, "RLIM_INFINITY")),
  rlimit64_out: out((v, c) => rlimit(c.mem, v, 8, "RLIM64_INFINITY")),
  uname_out: out((v, c) => utsname(c.mem, v)),
  uint_out: out((v, c) => {
    const n = c.mem.u32(v);
    return n === null ? addr(v) : `[${n}]`;
  }),
  loff_out: out((v, c) => {
    const b = c.mem.read(v, 8);
    return b ? `[${new DataView(b.buffer).getBigInt64(0, true)}]` : addr(v);
  }),
};

// Types without a printer (a new type another table entry introduced) still
// print: signed ones in decimal, the rest in hex.
export function printArg(t: ArgType, v: number, c: ArgCtx): string | null {
  const p = PRINTERS[t];
  if (p) return p(v, c);
  return SIGNED32.has(t) || SIGNEDWORD.has(t) ? String(v) : hexOrZero(v);
}

// strace prints clone's named arguments in its own order, not the ABI's.
const PRINT_ORDER: Partial<Record<ArgType, number>> = {
  clone_stack: -5, clone_flags: -4, clone_ptid: -3, clone_tls: -2, clone_ctid: -1,
};
export const printRank = (t: ArgType, i: number): number => PRINT_ORDER[t] ?? i;

// Results strace annotates: fcntl's F_GETFD/F_GETFL, set_thread_area's chosen entry.
type ResultNote = (v: number, c: ArgCtx) => string | null;
const RESULT_NOTES: Partial<Record<ArgType, ResultNote>> = {
  fcntl_cmd: (cmd, c) => {
    if (c.ret < 0) return null;
    if (cmd === F_GETFL) return `${hexOrZero(c.ret)} (flags ${openFlags(c.ret)})`;
    if (cmd === F_GETFD && c.ret > 0) return `${hex(c.ret)} (flags ${flags(c.ret, FD_FLAGS)})`;
    return null;
  },
  user_desc: (v, c) => {
    if (c.ret !== 0 || !c.entry[c.i]?.startsWith("{entry_number=-1,")) return null;
    return `0 (entry_number=${userDescEntry(c.mem, v)})`;
  },
};

export function resultNote(types: readonly ArgType[], c: Omit<ArgCtx, "i">): string | null {
  for (let i = 0; i < types.length; i++) {
    const n = RESULT_NOTES[types[i]]?.(c.args[i], { ...c, i });
    if (n) return n;
  }
  return null;
}
