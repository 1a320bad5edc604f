// Symbolic names for flag sets and enumerations, as strace 6 prints them.
// Values are Linux's x86 UAPI values (asm-generic/fcntl.h, asm-generic/mman*.h,
// linux/sched.h, asm/signal.h, linux/wait.h, linux/stat.h, linux/fcntl.h,
// asm-generic/resource.h, asm/prctl.h, asm-generic/ioctls.h); the order of
// each table is the order strace prints the names in.
export type Xlat = readonly (readonly [number, string])[];

// Flags: known names joined by "|", leftover bits in hex; zero prints `zero`.
export function flags(v: number, table: Xlat, zero = "0"): string {
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) {
    if (bit !== 0 && (rest & bit) >>> 0 === bit) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) out.push(hex(rest));
  return out.length ? out.join("|") : zero;
}

// One value of an enumeration; an unknown one as strace does: `0x3001 /* ARCH_??? */`.
export function xlat(v: number, table: Xlat, unknown: string, asHex = true): string {
  for (const [val, name] of table) if (val === v) return name;
  return `${asHex ? hex(v) : String(v)} /* ${unknown} */`;
}

export const hex = (v: number): string => `0x${v.toString(16)}`;

export const OPEN_ACCMODE: Xlat = [[0, "O_RDONLY"], [1, "O_WRONLY"], [2, "O_RDWR"]];
// In strace's order (FASYNC and O_DIRECTORY print last), checked against strace 6.1.
export const OPEN_FLAGS: Xlat = [
  [0o100, "O_CREAT"], [0o200, "O_EXCL"], [0o400, "O_NOCTTY"], [0o1000, "O_TRUNC"], [0o2000, "O_APPEND"],
  [0o4000, "O_NONBLOCK"], [0o4010000, "O_SYNC"], [0o10000, "O_DSYNC"], [0o4000000, "__O_SYNC"],
  [0o40000, "O_DIRECT"], [0o100000, "O_LARGEFILE"], [0o400000, "O_NOFOLLOW"], [0o1000000, "O_NOATIME"],
  [0o2000000, "O_CLOEXEC"], [0o10000000, "O_PATH"], [0o20200000, "O_TMPFILE"], [0o20000000, "__O_TMPFILE"],
  [0o200000, "O_DIRECTORY"], [0o20000, "FASYNC"],
];

export function openFlags(v: number): string {
  const mode = v & 3;
  const rest = (v & ~3) >>> 0;
  const acc = xlat(mode, OPEN_ACCMODE, "O_???");
  return rest ? `${acc}|${flags(rest, OPEN_FLAGS)}` : acc;
}

export const AT_FLAGS: Xlat = [
  [0x100, "AT_SYMLINK_NOFOLLOW"], [0x200, "AT_REMOVEDIR"], [0x400, "AT_SYMLINK_FOLLOW"],
  [0x800, "AT_NO_AUTOMOUNT"], [0x1000, "AT_EMPTY_PATH"], [0x8000, "AT_RECURSIVE"],
];
export const AT_STATX_SYNC: Xlat = [[0, "AT_STATX_SYNC_AS_STAT"], [0x2000, "AT_STATX_FORCE_SYNC"], [0x4000, "AT_STATX_DONT_SYNC"]];

export function statxFlags(v: number): string {
  const sync = xlat(v & 0x6000, AT_STATX_SYNC, "AT_STATX_???");
  const rest = v & ~0x6000;
  return rest ? `${sync}|${flags(rest, AT_FLAGS)}` : sync;
}

export const STATX_MASK: Xlat = [
  [0x7ff, "STATX_BASIC_STATS"], [0x1, "STATX_TYPE"], [0x2, "STATX_MODE"], [0x4, "STATX_NLINK"], [0x8, "STATX_UID"],
  [0x10, "STATX_GID"], [0x20, "STATX_ATIME"], [0x40, "STATX_MTIME"], [0x80, "STATX_CTIME"], [0x100, "STATX_INO"],
  [0x200, "STATX_SIZE"], [0x400, "STATX_BLOCKS"], [0x800, "STATX_BTIME"], [0x1000, "STATX_MNT_ID"],
  [0x2000, "STATX_DIOALIGN"],
];

export const PROT: Xlat = [
  [1, "PROT_READ"], [2, "PROT_WRITE"], [4, "PROT_EXEC"], [8, "PROT_SEM"],
  [0x01000000, "PROT_GROWSDOWN"], [0x02000000, "PROT_GROWSUP"],
];

export const MAP_TYPE: Xlat = [[1, "MAP_SHARED"], [2, "MAP_PRIVATE"], [3, "MAP_SHARED_VALIDATE"]];
export const MAP_FLAGS: Xlat = [
  [0x10, "MAP_FIXED"], [0x20, "MAP_ANONYMOUS"], [0x40, "MAP_32BIT"], [0x100, "MAP_GROWSDOWN"],
  [0x800, "MAP_DENYWRITE"], [0x1000, "MAP_EXECUTABLE"], [0x2000, "MAP_LOCKED"], [0x4000, "MAP_NORESERVE"],
  [0x8000, "MAP_POPULATE"], [0x10000, "MAP_NONBLOCK"], [0x20000, "MAP_STACK"], [0x40000, "MAP_HUGETLB"],
  [0x80000, "MAP_SYNC"], [0x100000, "MAP_FIXED_NOREPLACE"], [0x4000000, "MAP_UNINITIALIZED"],
];

export function mapFlags(v: number): string {
  const type = xlat(v & 0xf, MAP_TYPE, "MAP_???");
  const rest = (v & ~0xf) >>> 0;
  return rest ? `${type}|${flags(rest, MAP_FLAGS)}` : type;
}

export const WAIT_OPTIONS: Xlat = [
  [1, "WNOHANG"], [2, "WSTOPPED"], [4, "WEXITED"], [8, "WCONTINUED"], [0x01000000, "WNOWAIT"],
  [0x20000000, "__WNOTHREAD"], [0x40000000, "__WALL"], [0x80000000, "__WCLONE"],
];

export const CLONE_FLAGS: Xlat = [
  [0x80, "CLONE_NEWTIME"], [0x100, "CLONE_VM"], [0x200, "CLONE_FS"], [0x400, "CLONE_FILES"],
  [0x800, "CLONE_SIGHAND"], [0x1000, "CLONE_PIDFD"], [0x2000, "CLONE_PTRACE"], [0x4000, "CLONE_VFORK"],
  [0x8000, "CLONE_PARENT"], [0x10000, "CLONE_THREAD"], [0x20000, "CLONE_NEWNS"], [0x40000, "CLONE_SYSVSEM"],
  [0x80000, "CLONE_SETTLS"], [0x100000, "CLONE_PARENT_SETTID"], [0x200000, "CLONE_CHILD_CLEARTID"],
  [0x400000, "CLONE_DETACHED"], [0x800000, "CLONE_UNTRACED"], [0x1000000, "CLONE_CHILD_SETTID"],
  [0x2000000, "CLONE_NEWCGROUP"], [0x4000000, "CLONE_NEWUTS"], [0x8000000, "CLONE_NEWIPC"],
  [0x10000000, "CLONE_NEWUSER"], [0x20000000, "CLONE_NEWPID"], [0x40000000, "CLONE_NEWNET"],
  [0x80000000, "CLONE_IO"],
];

export const SA_FLAGS: Xlat = [
  [0x04000000, "SA_RESTORER"], [0x08000000, "SA_ONSTACK"], [0x10000000, "SA_RESTART"],
  [0x20000000, "SA_INTERRUPT"], [0x40000000, "SA_NODEFER"], [0x80000000, "SA_RESETHAND"],
  [4, "SA_SIGINFO"], [1, "SA_NOCLDSTOP"], [2, "SA_NOCLDWAIT"], [0x400, "SA_UNSUPPORTED"],
  [0x800, "SA_EXPOSE_TAGBITS"],
];

export const SIGPROCMASK_HOW: Xlat = [[0, "SIG_BLOCK"], [1, "SIG_UNBLOCK"], [2, "SIG_SETMASK"]];
export const WHENCE: Xlat = [[0, "SEEK_SET"], [1, "SEEK_CUR"], [2, "SEEK_END"], [3, "SEEK_DATA"], [4, "SEEK_HOLE"]];
export const PRIO_WHICH: Xlat = [[0, "PRIO_PROCESS"], [1, "PRIO_PGRP"], [2, "PRIO_USER"]];
export const ACCESS_MODE: Xlat = [[4, "R_OK"], [2, "W_OK"], [1, "X_OK"]];
export const GETRANDOM_FLAGS: Xlat = [[1, "GRND_NONBLOCK"], [2, "GRND_RANDOM"], [4, "GRND_INSECURE"]];
export const TIMER_FLAGS: Xlat = [[1, "TIMER_ABSTIME"]];
export const FD_FLAGS: Xlat = [[1, "FD_CLOEXEC"]];

export const CLOCKS: Xlat = [
  [0, "CLOCK_REALTIME"], [1, "CLOCK_MONOTONIC"], [2, "CLOCK_PROCESS_CPUTIME_ID"], [3, "CLOCK_THREAD_CPUTIME_ID"],
  [4, "CLOCK_MONOTONIC_RAW"], [5, "CLOCK_REALTIME_COARSE"], [6, "CLOCK_MONOTONIC_COARSE"], [7, "CLOCK_BOOTTIME"],
  [8, "CLOCK_REALTIME_ALARM"], [9, "CLOCK_BOOTTIME_ALARM"], [11, "CLOCK_TAI"],
];

export const RLIMITS: Xlat = [
  [0, "RLIMIT_CPU"], [1, "RLIMIT_FSIZE"], [2, "RLIMIT_DATA"], [3, "RLIMIT_STACK"], [4, "RLIMIT_CORE"],
  [5, "RLIMIT_RSS"], [6, "RLIMIT_NPROC"], [7, "RLIMIT_NOFILE"], [8, "RLIMIT_MEMLOCK"], [9, "RLIMIT_AS"],
  [10, "RLIMIT_LOCKS"], [11, "RLIMIT_SIGPENDING"], [12, "RLIMIT_MSGQUEUE"], [13, "RLIMIT_NICE"],
  [14, "RLIMIT_RTPRIO"], [15, "RLIMIT_RTTIME"],
];

export const ARCH_PRCTL: Xlat = [
  [0x1001, "ARCH_SET_GS"], [0x1002, "ARCH_SET_FS"], [0x1003, "ARCH_GET_FS"], [0x1004, "ARCH_GET_GS"],
  [0x1011, "ARCH_GET_CPUID"], [0x1012, "ARCH_SET_CPUID"], [0x2001, "ARCH_MAP_VDSO_X32"],
  [0x2002, "ARCH_MAP_VDSO_32"], [0x2003, "ARCH_MAP_VDSO_64"],
];

export const MADVISE: Xlat = [
  [0, "MADV_NORMAL"], [1, "MADV_RANDOM"], [2, "MADV_SEQUENTIAL"], [3, "MADV_WILLNEED"], [4, "MADV_DONTNEED"],
  [8, "MADV_FREE"], [9, "MADV_REMOVE"], [10, "MADV_DONTFORK"], [11, "MADV_DOFORK"], [12, "MADV_MERGEABLE"],
  [13, "MADV_UNMERGEABLE"], [14, "MADV_HUGEPAGE"], [15, "MADV_NOHUGEPAGE"], [16, "MADV_DONTDUMP"],
  [17, "MADV_DODUMP"], [18, "MADV_WIPEONFORK"], [19, "MADV_KEEPONFORK"], [20, "MADV_COLD"], [21, "MADV_PAGEOUT"],
  [100, "MADV_HWPOISON"], [101, "MADV_SOFT_OFFLINE"],
];

export const FCNTL_CMDS: Xlat = [
  [0, "F_DUPFD"], [1, "F_GETFD"], [2, "F_SETFD"], [3, "F_GETFL"], [4, "F_SETFL"], [5, "F_GETLK"],
  [6, "F_SETLK"], [7, "F_SETLKW"], [8, "F_SETOWN"], [9, "F_GETOWN"], [10, "F_SETSIG"], [11, "F_GETSIG"],
  [12, "F_GETLK64"], [13, "F_SETLK64"], [14, "F_SETLKW64"], [15, "F_SETOWN_EX"], [16, "F_GETOWN_EX"],
  [1024, "F_SETLEASE"], [1025, "F_GETLEASE"], [1026, "F_NOTIFY"], [1030, "F_DUPFD_CLOEXEC"],
  [1031, "F_SETPIPE_SZ"], [1032, "F_GETPIPE_SZ"], [1033, "F_ADD_SEALS"], [1034, "F_GET_SEALS"],
];

export const IOCTLS: Xlat = [
  [0x5401, "TCGETS"], [0x5402, "TCSETS"], [0x5403, "TCSETSW"], [0x5404, "TCSETSF"], [0x5409, "TCSBRK"],
  [0x540b, "TCFLSH"], [0x540e, "TIOCSCTTY"], [0x540f, "TIOCGPGRP"], [0x5410, "TIOCSPGRP"],
  [0x5413, "TIOCGWINSZ"], [0x5414, "TIOCSWINSZ"], [0x541b, "FIONREAD"], [0x5421, "FIONBIO"],
  [0x5429, "TIOCGSID"], [0x5450, "FIONCLEX"], [0x5451, "FIOCLEX"], [0x5452, "FIOASYNC"],
];

// File types of st_mode (linux/stat.h).
export const FILE_TYPES: Xlat = [
  [0o140000, "S_IFSOCK"], [0o120000, "S_IFLNK"], [0o100000, "S_IFREG"], [0o060000, "S_IFBLK"],
  [0o040000, "S_IFDIR"], [0o020000, "S_IFCHR"], [0o010000, "S_IFIFO"],
];

// st_mode as strace prints it: S_IFREG|0644 (with S_ISUID etc. when set).
export function fileMode(mode: number): string {
  const type = FILE_TYPES.find(([v]) => v === (mode & 0o170000));
  const special = [[0o4000, "S_ISUID"], [0o2000, "S_ISGID"], [0o1000, "S_ISVTX"]] as const;
  const parts = [type ? type[1] : octal(mode & 0o170000)];
  for (const [bit, name] of special) if (mode & bit) parts.push(name);
  parts.push(octal(mode & 0o777));
  return parts.join("|");
}

// strace's "%#03o": a leading 0, at least three digits.
export function octal(v: number): string {
  return (v ? `0${v.toString(8)}` : "0").padStart(3, "0");
}
