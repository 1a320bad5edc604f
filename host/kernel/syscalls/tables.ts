// The syscall tables: number -> definition, one per ABI, built from one set
// of definitions so each syscall has exactly one handler.
import * as info from "./info.js";
import { I386_NAMES, X86_64_NAMES } from "./names.gen.js";
import * as fs from "./fs.js";
import * as io from "./io.js";
import * as mem from "./mem.js";
import * as poll from "./poll.js";
import * as proc from "./proc.js";
import * as sig from "./sig.js";
import * as tls from "./tls.js";
import type { ArgType, SyscallDef } from "./types.js";

type Fn = SyscallDef["fn"];
const def = (fn: unknown, ...args: ArgType[]): SyscallDef => ({ fn: fn as Fn, args });

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
  close: def(io.close, "fd"),
  close_range: def(io.closeRange, "uint", "uint", "flags"),
  lseek: def(io.lseek, "fd", "off", "int"),
  ioctl: def(io.ioctl, "fd", "uint", "ulong"),
  dup: def(io.dup, "fd"),
  dup2: def(io.dup2, "fd", "fd"),
  dup3: def(io.dup3, "fd", "fd", "flags"),
  fcntl: def(io.fcntl, "fd", "int", "ulong"),
  pipe: def(io.pipe, "ptr"),
  pipe2: def(io.pipe2, "ptr", "flags"),
  fsync: def(io.fsync, "fd"),
  fdatasync: def(io.fsync, "fd"),
  getdents: def(io.getdents, "fd", "ptr", "size"),
  getdents64: def(io.getdents64, "fd", "ptr", "size"),
  poll: def(poll.poll, "ptr", "uint", "int"),
  ppoll: def(poll.ppoll, "ptr", "uint", "ptr", "ptr", "size"),
  pselect6: def(poll.pselect6, "int", "ptr", "ptr", "ptr", "ptr", "ptr"),
  open: def(fs.open, "path", "flags", "mode"),
  openat: def(fs.openat, "dirfd", "path", "flags", "mode"),
  creat: def(fs.creat, "path", "mode"),
  statx: def(fs.statx, "dirfd", "path", "flags", "uint", "ptr"),
  readlink: def(fs.readlink, "path", "ptr", "size"),
  readlinkat: def(fs.readlinkat, "dirfd", "path", "ptr", "size"),
  getcwd: def(fs.getcwd, "ptr", "size"),
  chdir: def(fs.chdir, "path"),
  fchdir: def(fs.fchdir, "fd"),
  access: def(fs.access, "path", "int"),
  faccessat: def(fs.faccessat, "dirfd", "path", "int"),
  faccessat2: def(fs.faccessat2, "dirfd", "path", "int", "flags"),
  mkdir: def(fs.mkdir, "path", "mode"),
  mkdirat: def(fs.mkdirat, "dirfd", "path", "mode"),
  rmdir: def(fs.rmdir, "path"),
  unlink: def(fs.unlink, "path"),
  unlinkat: def(fs.unlinkat, "dirfd", "path", "flags"),
  rename: def(fs.rename, "path", "path"),
  renameat: def(fs.renameat, "dirfd", "path", "dirfd", "path"),
  renameat2: def(fs.renameat2, "dirfd", "path", "dirfd", "path", "flags"),
  link: def(fs.link, "path", "path"),
  linkat: def(fs.linkat, "dirfd", "path", "dirfd", "path", "flags"),
  symlink: def(fs.symlink, "path", "path"),
  symlinkat: def(fs.symlinkat, "path", "dirfd", "path"),
  chmod: def(fs.chmod, "path", "mode"),
  fchmod: def(fs.fchmod, "fd", "mode"),
  fchmodat: def(fs.fchmodat, "dirfd", "path", "mode"),
  fchownat: def(fs.fchownat, "dirfd", "path", "uint", "uint", "flags"),
  utimensat: def(fs.utimensat, "dirfd", "path", "ptr", "flags"),
  brk: def(mem.brk, "ptr"),
  munmap: def(mem.munmap, "ptr", "size"),
  msync: def(mem.msync, "ptr", "size", "flags"),
  mprotect: def(mem.mprotect, "ptr", "size", "flags"),
  madvise: def(mem.madvise, "ptr", "size", "int"),
  uname: def(info.uname, "ptr"),
  clock_gettime: def(info.clockGettime, "int", "ptr"),
  clock_getres: def(info.clockGetres, "int", "ptr"),
  clock_nanosleep: def(info.clockNanosleep, "int", "flags", "ptr", "ptr"),
  gettimeofday: def(info.gettimeofday, "ptr", "ptr"),
  time: def(info.time, "ptr"),
  nanosleep: def(info.nanosleep, "ptr", "ptr"),
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
  kill: def(sig.kill, "pid", "signal"),
  tkill: def(sig.tkill, "pid", "signal"),
  tgkill: def(sig.tgkill, "pid", "pid", "signal"),
};

// i386 names that differ from, or do not exist on, x86-64.
const i386Only: Record<string, SyscallDef> = {
  waitpid: def(proc.waitpid, "pid", "ptr", "int"),
  clone: def(proc.cloneI386, "flags", "ptr", "ptr", "ptr", "ptr"),
  mmap: def(mem.oldMmap, "ptr"),
  mmap2: def(mem.mmap2, "ptr", "size", "flags", "flags", "fd", "ulong"),
  _llseek: def(io.llseek, "fd", "ulong", "ulong", "ptr", "int"),
  pread64: def(io.pread64I386, "fd", "ptr", "size", "ulong", "ulong"),
  pwrite64: def(io.pwrite64I386, "fd", "ptr", "size", "ulong", "ulong"),
  sendfile: def(io.sendfile, "fd", "fd", "ptr", "size"),
  sendfile64: def(io.sendfile64, "fd", "fd", "ptr", "size"),
  fstat64: def(fs.fstat, "fd", "ptr"),
  stat64: def(fs.stat, "path", "ptr"),
  lstat64: def(fs.lstat, "path", "ptr"),
  fstatat64: def(fs.fstatat, "dirfd", "path", "ptr", "flags"),
  truncate: def(fs.truncate, "path", "long"),
  ftruncate: def(fs.ftruncate, "fd", "long"),
  truncate64: def(fs.truncate64, "path", "ulong", "ulong"),
  ftruncate64: def(fs.ftruncate64, "fd", "ulong", "ulong"),
  chown32: def(fs.chown, "path", "int", "int"),
  lchown32: def(fs.lchown, "path", "int", "int"),
  fchown32: def(fs.fchown, "fd", "int", "int"),
  utimensat_time64: def(fs.utimensat64, "dirfd", "path", "ptr", "flags"),
  select: def(poll.oldSelect, "ptr"),
  _newselect: def(poll.select, "int", "ptr", "ptr", "ptr", "ptr"),
  ppoll_time64: def(poll.ppollTime64, "ptr", "uint", "ptr", "ptr", "size"),
  pselect6_time64: def(poll.pselect6Time64, "int", "ptr", "ptr", "ptr", "ptr", "ptr"),
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
  clock_nanosleep_time64: def(info.clockNanosleep64, "int", "flags", "ptr", "ptr"),
};

const x86_64Only: Record<string, SyscallDef> = {
  clone: def(proc.clone, "flags", "ptr", "ptr", "ptr", "ulong"),
  mmap: def(mem.mmap, "ptr", "size", "flags", "flags", "fd", "off"),
  fstat: def(fs.fstat, "fd", "ptr"),
  stat: def(fs.stat, "path", "ptr"),
  lstat: def(fs.lstat, "path", "ptr"),
  newfstatat: def(fs.fstatat, "dirfd", "path", "ptr", "flags"),
  pread64: def(io.pread64, "fd", "ptr", "size", "off"),
  pwrite64: def(io.pwrite64, "fd", "ptr", "size", "off"),
  sendfile: def(io.sendfile, "fd", "fd", "ptr", "size"),
  truncate: def(fs.truncate, "path", "off"),
  ftruncate: def(fs.ftruncate, "fd", "off"),
  chown: def(fs.chown, "path", "int", "int"),
  lchown: def(fs.lchown, "path", "int", "int"),
  fchown: def(fs.fchown, "fd", "int", "int"),
  select: def(poll.select, "int", "ptr", "ptr", "ptr", "ptr"),
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
