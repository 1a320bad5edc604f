// Syscalls are data: each ABI's table maps a number to one shared definition
// (name, argument types, handler). The dispatcher converts raw registers by
// the argument types; the --strace printer will read the same types.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import type { GuestMemory } from "../../core/memory.js";
import type { BLOCKED } from "../fs/file.js";

// The handler has replaced the registers itself (execve) or the process is gone (exit).
export const NORETURN = Symbol("noreturn");
export type SysResult = number | typeof BLOCKED | typeof NORETURN;

export interface Ctx {
  k: Kernel;
  p: Process;
  mem: GuestMemory;
  word: 4 | 8;
}

// Argument types. They say how the dispatcher reads a register (signed 32-bit,
// signed word, or unsigned) and how --strace prints the argument
// (host/kernel/strace/args.ts). Types ending in "_out" are written by the
// call and printed after it returns, as strace does.
const S32 = [
  "int", "fd", "pid", "signal", "dirfd", // plain numbers, fds (dirfd prints AT_FDCWD)
  "wait_options", "whence", "fcntl_cmd", "sigprocmask_how", "clockid", "rlimit_resource",
  "arch_prctl_code", "madvise_advice", "access_mode", "prio_which",
] as const;
const SWORD = ["long", "off", "mmap_off"] as const;
// Unsigned 32-bit (C `unsigned int`, uid_t, mode_t, int flags): the kernel
// ignores the upper half of the register, as musl's -1 uids rely on.
const U32 = [
  "uint", "flags", "mode", "open_flags", "at_flags", "statx_flags", "statx_mask", "prot", "map_flags",
  "getrandom_flags", "timer_flags", "ioctl_cmd", "open_mode",
] as const;
const UNSIGNED = [
  "ulong", "size", "ptr", "hex", "str", "path",
  // flag sets and enums printed symbolically
  "mmap_pgoff", "clone_flags", "clone_stack", "clone_ptid", "clone_ctid", "clone_tls",
  "fcntl_arg", "llseek_hi", "llseek_lo", "arch_prctl_addr",
  // memory read before the call
  "buf_in", "argv", "envp", "iovec_in", "sigset_in", "sigaction_in", "timespec_in", "timespec64_in",
  "rlimit_in", "rlimit64_in", "user_desc",
  // memory written by the call
  "buf_out", "hexbuf_out", "str_out", "path_out", "iovec_out", "stat_out", "statx_out", "wstatus_out",
  "sigset_out", "sigaction_out", "timespec_out", "timespec64_out", "timeval_out", "rlimit_out",
  "rlimit64_out", "uname_out", "loff_out", "uint_out",
] as const;

export type ArgType = (typeof S32)[number] | (typeof SWORD)[number] | (typeof U32)[number] | (typeof UNSIGNED)[number];

export const SIGNED32: ReadonlySet<ArgType> = new Set(S32);
const UNSIGNED32: ReadonlySet<ArgType> = new Set(U32);
export const SIGNEDWORD: ReadonlySet<ArgType> = new Set(SWORD);

// How the dispatcher reads an argument's register, decided once per definition.
export const READ_WORD = 0, READ_S32 = 1, READ_U32 = 2, READ_SWORD = 3;
export function readKind(t: ArgType): number {
  return SIGNED32.has(t) ? READ_S32 : UNSIGNED32.has(t) ? READ_U32 : SIGNEDWORD.has(t) ? READ_SWORD : READ_WORD;
}

// How --strace prints the return value: decimal (default), hex (addresses), octal (umask).
export type RetType = "dec" | "hex" | "octal";

// What a blocking syscall does when a signal handler interrupts it (Linux's
// restart codes): "sa" restarts under SA_RESTART, else EINTR (ERESTARTSYS, the
// default); "nohand" is EINTR whenever a handler runs (ERESTARTNOHAND);
// "block" also (ERESTART_RESTARTBLOCK: sleeps, which report the time left);
// "never" is EINTR even after a stop and continue.
export type RestartKind = "sa" | "nohand" | "block" | "never";

export interface SyscallDef {
  args: ArgType[];
  reads: number[]; // readKind of each argument
  ret?: RetType;
  fn: (c: Ctx, ...a: number[]) => SysResult;
  restart?: RestartKind;
  // Called with the syscall's arguments when it fails with EINTR (nanosleep's time left).
  interrupted?: (c: Ctx, ...a: number[]) => void;
}
