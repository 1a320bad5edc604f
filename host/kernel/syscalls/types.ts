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

// Argument types. Signed ones are sign-extended from 32 bits ("int" family)
// or from the word size ("long" family); everything else is unsigned.
export type ArgType =
  | "int" | "fd" | "pid" | "signal" | "dirfd" // signed 32-bit
  | "long" | "off" // signed word
  | "uint" | "ulong" | "size" | "ptr" | "str" | "path" | "flags" | "mode";

export const SIGNED32: ReadonlySet<ArgType> = new Set(["int", "fd", "pid", "signal", "dirfd"]);
export const SIGNEDWORD: ReadonlySet<ArgType> = new Set(["long", "off"]);

// What a blocking syscall does when a signal handler interrupts it (Linux's
// restart codes): "sa" restarts under SA_RESTART, else EINTR (ERESTARTSYS, the
// default); "nohand" is EINTR whenever a handler runs (ERESTARTNOHAND);
// "block" also (ERESTART_RESTARTBLOCK: sleeps, which report the time left);
// "never" is EINTR even after a stop and continue.
export type RestartKind = "sa" | "nohand" | "block" | "never";

export interface SyscallDef {
  args: ArgType[];
  fn: (c: Ctx, ...a: number[]) => SysResult;
  restart?: RestartKind;
  // Called with the syscall's arguments when it fails with EINTR (nanosleep's time left).
  interrupted?: (c: Ctx, ...a: number[]) => void;
}
