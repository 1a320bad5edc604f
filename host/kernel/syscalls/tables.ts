// The syscall tables: number -> definition, one per ABI, built from one set
// of definitions so each syscall has exactly one handler.
import * as info from "./info.js";
import { I386_NAMES, X86_64_NAMES } from "./names.gen.js";
import * as io from "./io.js";
import * as mem from "./mem.js";
import * as proc from "./proc.js";
import * as sig from "./sig.js";
import * as tls from "./tls.js";
import type { ArgType, RestartKind, SyscallDef } from "./types.js";

type Fn = SyscallDef["fn"];
const def = (fn: unknown, ...args: ArgType[]): SyscallDef => ({ fn: fn as Fn, args });
// How a blocking syscall answers a signal handler (see RestartKind); the default is "sa".
const restart = (d: SyscallDef, kind: RestartKind, interrupted?: unknown): SyscallDef =>
  ({ ...d, restart: kind, interrupted: interrupted as SyscallDef["interrupted"] });

// Definitions shared by both ABIs, by Linux name.
const common: Record<string, SyscallDef> = {
  exit: def(proc.exit, "int"),
  exit_group: def(proc.exit, "int"),
  fork: def(proc.fork),
  vfork: def(proc.vfork),
  execve: def(proc.execve, "path", "ptr", "ptr"),
  wait4: def(proc.wait4, "pid", "ptr", "int", "ptr"),
  getpid: def(proc.getpid),
  gettid: def(proc.gettid),
  getppid: def(proc.getppid),
  set_tid_address: def(proc.setTidAddress, "ptr"),
  read: def(io.read, "fd", "ptr", "size"),
  write: def(io.write, "fd", "ptr", "size"),
  readv: def(io.readv, "fd", "ptr", "int"),
  writev: def(io.writev, "fd", "ptr", "int"),
  open: def(io.open, "path", "flags", "mode"),
  openat: def(io.openat, "dirfd", "path", "flags", "mode"),
  close: def(io.close, "fd"),
  lseek: def(io.lseek, "fd", "off", "int"),
  ioctl: def(io.ioctl, "fd", "uint", "ulong"),
  statx: def(io.statx, "dirfd", "path", "flags", "uint", "ptr"),
  readlink: def(io.readlink, "path", "ptr", "size"),
  readlinkat: def(io.readlinkat, "dirfd", "path", "ptr", "size"),
  getcwd: def(io.getcwd, "ptr", "size"),
  access: def(io.access, "path", "int"),
  faccessat: def(io.faccessat, "dirfd", "path", "int"),
  faccessat2: def(io.faccessat, "dirfd", "path", "int", "flags"),
  dup: def(io.dup, "fd"),
  dup2: def(io.dup2, "fd", "fd"),
  dup3: def(io.dup3, "fd", "fd", "flags"),
  fcntl: def(io.fcntl, "fd", "int", "ulong"),
  brk: def(mem.brk, "ptr"),
  munmap: def(mem.munmap, "ptr", "size"),
  mprotect: def(mem.mprotect, "ptr", "size", "flags"),
  madvise: def(mem.madvise, "ptr", "size", "int"),
  uname: def(info.uname, "ptr"),
  clock_gettime: def(info.clockGettime, "int", "ptr"),
  clock_getres: def(info.clockGetres, "int", "ptr"),
  clock_nanosleep: restart(def(info.clockNanosleep, "int", "flags", "ptr", "ptr"), "block", info.clockNanosleepInterrupted),
  gettimeofday: def(info.gettimeofday, "ptr", "ptr"),
  time: def(info.time, "ptr"),
  nanosleep: restart(def(info.nanosleep, "ptr", "ptr"), "block", info.nanosleepInterrupted),
  getuid: def(info.getuid),
  geteuid: def(info.geteuid),
  getgid: def(info.getgid),
  getegid: def(info.getegid),
  getgroups: def(info.getgroups, "int", "ptr"),
  getpgrp: def(info.getpgrp),
  getpgid: def(info.getpgid, "pid"),
  getsid: def(info.getsid, "pid"),
  umask: def(info.umask, "mode"),
  prlimit64: def(info.prlimit64, "pid", "int", "ptr", "ptr"),
  setrlimit: def(info.setrlimit, "int", "ptr"),
  getrandom: def(info.getrandom, "ptr", "size", "flags"),
  set_robust_list: def(info.setRobustList, "ptr", "size"),
  rseq: def(info.rseq, "ptr", "uint", "flags", "uint"),
  sched_yield: def(info.schedYield),
  rt_sigaction: def(sig.rtSigaction, "signal", "ptr", "ptr", "size"),
  rt_sigprocmask: def(sig.rtSigprocmask, "int", "ptr", "ptr", "size"),
  rt_sigpending: def(sig.rtSigpending, "ptr", "size"),
  rt_sigsuspend: restart(def(sig.rtSigsuspend, "ptr", "size"), "nohand"),
  rt_sigtimedwait: restart(def(sig.rtSigtimedwait, "ptr", "ptr", "ptr", "size"), "never"),
  rt_sigqueueinfo: def(sig.rtSigqueueinfo, "pid", "signal", "ptr"),
  rt_tgsigqueueinfo: def(sig.rtTgsigqueueinfo, "pid", "pid", "signal", "ptr"),
  rt_sigreturn: def(sig.rtSigreturn),
  sigaltstack: def(sig.sigaltstack, "ptr", "ptr"),
  pause: restart(def(sig.pause), "nohand"),
  kill: def(sig.kill, "pid", "signal"),
  tkill: def(sig.tkill, "pid", "signal"),
  tgkill: def(sig.tgkill, "pid", "pid", "signal"),
  alarm: def(sig.alarm, "uint"),
  getitimer: def(sig.getitimer, "int", "ptr"),
  setitimer: def(sig.setitimer, "int", "ptr", "ptr"),
};

// i386 names that differ from, or do not exist on, x86-64.
const i386Only: Record<string, SyscallDef> = {
  waitpid: def(proc.waitpid, "pid", "ptr", "int"),
  clone: def(proc.cloneI386, "flags", "ptr", "ptr", "ptr", "ptr"),
  mmap: def(mem.oldMmap, "ptr"),
  mmap2: def(mem.mmap2, "ptr", "size", "flags", "flags", "fd", "ulong"),
  _llseek: def(io.llseek, "fd", "ulong", "ulong", "ptr", "int"),
  fstat64: def(io.fstat, "fd", "ptr"),
  stat64: def(io.stat, "path", "ptr"),
  lstat64: def(io.lstat, "path", "ptr"),
  fstatat64: def(io.fstatat, "dirfd", "path", "ptr", "flags"),
  fcntl64: def(io.fcntl, "fd", "int", "ulong"),
  getuid32: def(info.getuid),
  geteuid32: def(info.geteuid),
  getgid32: def(info.getgid),
  getegid32: def(info.getegid),
  getgroups32: def(info.getgroups, "int", "ptr"),
  ugetrlimit: def(info.getrlimit, "int", "ptr"),
  set_thread_area: def(tls.setThreadArea, "ptr"),
  get_thread_area: def(tls.getThreadArea, "ptr"),
  clock_gettime64: def(info.clockGettime64, "int", "ptr"),
  clock_nanosleep_time64: restart(def(info.clockNanosleep64, "int", "flags", "ptr", "ptr"), "block", info.clockNanosleep64Interrupted),
  sigaction: def(sig.sigaction, "signal", "ptr", "ptr"),
  signal: def(sig.signal, "signal", "ptr"),
  sigprocmask: def(sig.sigprocmask, "int", "ptr", "ptr"),
  sigpending: def(sig.sigpending, "ptr"),
  sigsuspend: restart(def(sig.sigsuspend, "int", "int", "ulong"), "nohand"),
  sigreturn: def(sig.sigreturn),
  rt_sigtimedwait_time64: restart(def(sig.rtSigtimedwaitTime64, "ptr", "ptr", "ptr", "size"), "never"),
};

const x86_64Only: Record<string, SyscallDef> = {
  clone: def(proc.clone, "flags", "ptr", "ptr", "ptr", "ulong"),
  mmap: def(mem.mmap, "ptr", "size", "flags", "flags", "fd", "off"),
  fstat: def(io.fstat, "fd", "ptr"),
  stat: def(io.stat, "path", "ptr"),
  lstat: def(io.lstat, "path", "ptr"),
  newfstatat: def(io.fstatat, "dirfd", "path", "ptr", "flags"),
  getrlimit: def(info.getrlimit, "int", "ptr"),
  arch_prctl: def(tls.archPrctl, "int", "ulong"),
};

function build(names: Record<number, string>, own: Record<string, SyscallDef>): Map<number, SyscallDef & { name: string }> {
  const t = new Map<number, SyscallDef & { name: string }>();
  for (const [nr, name] of Object.entries(names)) {
    const d = own[name] ?? common[name];
    if (d) t.set(Number(nr), { ...d, name });
  }
  return t;
}

export const I386_TABLE = build(I386_NAMES, i386Only);
export const X86_64_TABLE = build(X86_64_NAMES, x86_64Only);
