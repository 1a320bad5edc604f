// The syscall tables: number -> definition, one per ABI, built from one set
// of definitions so each syscall has exactly one handler.
import * as creds from "./creds.js";
import * as info from "./info.js";
import { I386_NAMES, X86_64_NAMES } from "./names.gen.js";
import * as io from "./io.js";
import * as mem from "./mem.js";
import * as prctl from "./prctl.js";
import * as proc from "./proc.js";
import * as sig from "./sig.js";
import * as tls from "./tls.js";
import type { ArgType, SyscallDef } from "./types.js";

type Fn = SyscallDef["fn"];
const def = (fn: unknown, ...args: ArgType[]): SyscallDef => ({ fn: fn as Fn, args });
// Calls whose result strace prints in hex (addresses) or octal (umask).
const hex = (d: SyscallDef): SyscallDef => ({ ...d, ret: "hex" });
const octal = (d: SyscallDef): SyscallDef => ({ ...d, ret: "octal" });

// Definitions shared by both ABIs, by Linux name.
const common: Record<string, SyscallDef> = {
  exit: def(proc.exit, "int"),
  exit_group: def(proc.exit, "int"),
  fork: def(proc.fork),
  vfork: def(proc.vfork),
  execve: def(proc.execve, "path", "argv", "envp"),
  wait4: def(proc.wait4, "pid", "wstatus_out", "wait_options", "ptr"),
  clone3: def(proc.clone3, "ptr", "size"),
  waitid: def(proc.waitid, "int", "pid", "ptr", "int", "ptr"),
  getrusage: def(proc.getrusage, "int", "ptr"),
  getpid: def(proc.getpid),
  gettid: def(proc.gettid),
  getppid: def(proc.getppid),
  getpgrp: def(proc.getpgrp),
  getpgid: def(proc.getpgid, "pid"),
  getsid: def(proc.getsid, "pid"),
  setpgid: def(proc.setpgid, "pid", "pid"),
  setsid: def(proc.setsid),
  prctl: def(prctl.prctl, "int", "ulong", "ulong", "ulong", "ulong"),
  getuid: def(creds.getuid),
  geteuid: def(creds.geteuid),
  getgid: def(creds.getgid),
  getegid: def(creds.getegid),
  setuid: def(creds.setuid, "uint"),
  setgid: def(creds.setgid, "uint"),
  setreuid: def(creds.setreuid, "uint", "uint"),
  setregid: def(creds.setregid, "uint", "uint"),
  setresuid: def(creds.setresuid, "uint", "uint", "uint"),
  setresgid: def(creds.setresgid, "uint", "uint", "uint"),
  getresuid: def(creds.getresuid, "ptr", "ptr", "ptr"),
  getresgid: def(creds.getresgid, "ptr", "ptr", "ptr"),
  setfsuid: def(creds.setfsuid, "uint"),
  setfsgid: def(creds.setfsgid, "uint"),
  getgroups: def(creds.getgroups, "int", "ptr"),
  setgroups: def(creds.setgroups, "int", "ptr"),
  set_tid_address: def(proc.setTidAddress, "ptr"),
  read: def(io.read, "fd", "buf_out", "size"),
  write: def(io.write, "fd", "buf_in", "size"),
  readv: def(io.readv, "fd", "iovec_out", "int"),
  writev: def(io.writev, "fd", "iovec_in", "int"),
  open: def(io.open, "path", "open_flags", "open_mode"),
  openat: def(io.openat, "dirfd", "path", "open_flags", "open_mode"),
  close: def(io.close, "fd"),
  lseek: def(io.lseek, "fd", "off", "whence"),
  ioctl: def(io.ioctl, "fd", "ioctl_cmd", "hex"),
  statx: def(io.statx, "dirfd", "path", "statx_flags", "statx_mask", "statx_out"),
  readlink: def(io.readlink, "path", "buf_out", "size"),
  readlinkat: def(io.readlinkat, "dirfd", "path", "buf_out", "size"),
  getcwd: def(io.getcwd, "path_out", "size"),
  access: def(io.access, "path", "access_mode"),
  faccessat: def(io.faccessat, "dirfd", "path", "access_mode"),
  faccessat2: def(io.faccessat, "dirfd", "path", "access_mode", "at_flags"),
  dup: def(io.dup, "fd"),
  dup2: def(io.dup2, "fd", "fd"),
  dup3: def(io.dup3, "fd", "fd", "open_flags"),
  fcntl: def(io.fcntl, "fd", "fcntl_cmd", "fcntl_arg"),
  brk: hex(def(mem.brk, "ptr")),
  munmap: def(mem.munmap, "ptr", "size"),
  mprotect: def(mem.mprotect, "ptr", "size", "prot"),
  madvise: def(mem.madvise, "ptr", "size", "madvise_advice"),
  uname: def(info.uname, "uname_out"),
  clock_gettime: def(info.clockGettime, "clockid", "timespec_out"),
  clock_getres: def(info.clockGetres, "clockid", "timespec_out"),
  clock_nanosleep: def(info.clockNanosleep, "clockid", "timer_flags", "timespec_in", "timespec_out"),
  gettimeofday: def(info.gettimeofday, "timeval_out", "ptr"),
  time: def(info.time, "ptr"),
  nanosleep: def(info.nanosleep, "timespec_in", "timespec_out"),
  umask: octal(def(info.umask, "mode")),
  prlimit64: def(info.prlimit64, "pid", "rlimit_resource", "rlimit64_in", "rlimit64_out"),
  setrlimit: def(info.setrlimit, "rlimit_resource", "rlimit_in"),
  getrandom: def(info.getrandom, "hexbuf_out", "size", "getrandom_flags"),
  set_robust_list: def(info.setRobustList, "ptr", "size"),
  rseq: def(info.rseq, "ptr", "hex", "flags", "hex"),
  sched_yield: def(info.schedYield),
  rt_sigaction: def(sig.rtSigaction, "signal", "sigaction_in", "sigaction_out", "size"),
  rt_sigprocmask: def(sig.rtSigprocmask, "sigprocmask_how", "sigset_in", "sigset_out", "size"),
  kill: def(sig.kill, "pid", "signal"),
  tkill: def(sig.tkill, "pid", "signal"),
  tgkill: def(sig.tgkill, "pid", "pid", "signal"),
};

// i386 names that differ from, or do not exist on, x86-64.
const i386Only: Record<string, SyscallDef> = {
  waitpid: def(proc.waitpid, "pid", "wstatus_out", "wait_options"),
  clone: def(proc.cloneI386, "clone_flags", "clone_stack", "clone_ptid", "clone_tls", "clone_ctid"),
  mmap: hex(def(mem.oldMmap, "ptr")),
  mmap2: hex(def(mem.mmap2, "ptr", "size", "prot", "map_flags", "fd", "mmap_pgoff")),
  _llseek: def(io.llseek, "fd", "llseek_hi", "llseek_lo", "loff_out", "whence"),
  fstat64: def(io.fstat, "fd", "stat_out"),
  stat64: def(io.stat, "path", "stat_out"),
  lstat64: def(io.lstat, "path", "stat_out"),
  fstatat64: def(io.fstatat, "dirfd", "path", "stat_out", "at_flags"),
  fcntl64: def(io.fcntl, "fd", "fcntl_cmd", "fcntl_arg"),
  // The original i386 identity calls take and return 16-bit ids; the *32 ones are the common ones.
  getuid: def(creds.getuid16),
  geteuid: def(creds.geteuid16),
  getgid: def(creds.getgid16),
  getegid: def(creds.getegid16),
  setuid: def(creds.setuid16, "uint"),
  setgid: def(creds.setgid16, "uint"),
  setreuid: def(creds.setreuid16, "uint", "uint"),
  setregid: def(creds.setregid16, "uint", "uint"),
  setresuid: def(creds.setresuid16, "uint", "uint", "uint"),
  setresgid: def(creds.setresgid16, "uint", "uint", "uint"),
  getresuid: def(creds.getresuid16, "ptr", "ptr", "ptr"),
  getresgid: def(creds.getresgid16, "ptr", "ptr", "ptr"),
  setfsuid: def(creds.setfsuid16, "uint"),
  setfsgid: def(creds.setfsgid16, "uint"),
  getgroups: def(creds.getgroups16, "int", "ptr"),
  setgroups: def(creds.setgroups16, "int", "ptr"),
  getuid32: def(creds.getuid),
  geteuid32: def(creds.geteuid),
  getgid32: def(creds.getgid),
  getegid32: def(creds.getegid),
  setuid32: def(creds.setuid, "uint"),
  setgid32: def(creds.setgid, "uint"),
  setreuid32: def(creds.setreuid, "uint", "uint"),
  setregid32: def(creds.setregid, "uint", "uint"),
  setresuid32: def(creds.setresuid, "uint", "uint", "uint"),
  setresgid32: def(creds.setresgid, "uint", "uint", "uint"),
  getresuid32: def(creds.getresuid, "ptr", "ptr", "ptr"),
  getresgid32: def(creds.getresgid, "ptr", "ptr", "ptr"),
  setfsuid32: def(creds.setfsuid, "uint"),
  setfsgid32: def(creds.setfsgid, "uint"),
  getgroups32: def(creds.getgroups, "int", "ptr"),
  setgroups32: def(creds.setgroups, "int", "ptr"),
  ugetrlimit: def(info.getrlimit, "rlimit_resource", "rlimit_out"),
  set_thread_area: def(tls.setThreadArea, "user_desc"),
  get_thread_area: def(tls.getThreadArea, "user_desc"),
  clock_gettime64: def(info.clockGettime64, "clockid", "timespec64_out"),
  clock_nanosleep_time64: def(info.clockNanosleep64, "clockid", "timer_flags", "timespec64_in", "timespec64_out"),
};

const x86_64Only: Record<string, SyscallDef> = {
  clone: def(proc.clone, "clone_flags", "clone_stack", "clone_ptid", "clone_ctid", "clone_tls"),
  mmap: hex(def(mem.mmap, "ptr", "size", "prot", "map_flags", "fd", "mmap_off")),
  fstat: def(io.fstat, "fd", "stat_out"),
  stat: def(io.stat, "path", "stat_out"),
  lstat: def(io.lstat, "path", "stat_out"),
  newfstatat: def(io.fstatat, "dirfd", "path", "stat_out", "at_flags"),
  getrlimit: def(info.getrlimit, "rlimit_resource", "rlimit_out"),
  arch_prctl: def(tls.archPrctl, "arch_prctl_code", "arch_prctl_addr"),
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
