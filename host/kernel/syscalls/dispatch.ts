// One place turns a trapped syscall into a handler call and the result into
// the return register, for both ABIs.
import { RESULT_REG } from "../abi.js";
import { EINTR, ENOSYS } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { I386_NAMES, X86_64_NAMES } from "./names.gen.js";
import { I386_TABLE, X86_64_TABLE } from "./tables.js";
import { NORETURN, READ_S32, READ_SWORD, READ_U32, type Ctx, type SyscallDef } from "./types.js";

const reported = new Set<string>();

// traced false: a call from the vDSO, which strace does not see natively.
export function dispatchSyscall(k: Kernel, p: Process, traced = true): void {
  const tracer = traced ? k.tracer : null;
  const core = k.core;
  const is64 = p.abi.word === 8;
  const nr = is64 ? core.reg(p.cpu, RESULT_REG) : core.reg32(p.cpu, RESULT_REG);
  const def = (is64 ? X86_64_TABLE : I386_TABLE).get(nr);
  if (!def) {
    const name = (is64 ? X86_64_NAMES : I386_NAMES)[nr] ?? `syscall_${nr}`;
    const key = `${p.abi.name}:${nr}`;
    if (!reported.has(key)) {
      reported.add(key);
      k.log(`unsupported syscall ${name} (${nr})`);
    }
    tracer?.unknown(p, name);
    core.setReg(p.cpu, RESULT_REG, -ENOSYS);
    return;
  }
  const ctx = ctxOf(k, p);
  const reads = def.reads;
  const n = reads.length;
  const a0 = n > 0 ? readArg(k, p, reads, 0) : 0, a1 = n > 1 ? readArg(k, p, reads, 1) : 0;
  const a2 = n > 2 ? readArg(k, p, reads, 2) : 0, a3 = n > 3 ? readArg(k, p, reads, 3) : 0;
  const a4 = n > 4 ? readArg(k, p, reads, 4) : 0, a5 = n > 5 ? readArg(k, p, reads, 5) : 0;
  tracer?.enter(p, def.name, def.args, def.ret, [a0, a1, a2, a3, a4, a5].slice(0, n));
  // Exactly n arguments, as the definition declares (no array on this path).
  const fn = def.fn;
  const res = n === 0 ? fn(ctx) : n === 1 ? fn(ctx, a0) : n === 2 ? fn(ctx, a0, a1) : n === 3 ? fn(ctx, a0, a1, a2)
    : n === 4 ? fn(ctx, a0, a1, a2, a3) : n === 5 ? fn(ctx, a0, a1, a2, a3, a4) : fn(ctx, a0, a1, a2, a3, a4, a5);
  tracer?.leave(p, res);
  if (res === BLOCKED || p.state === "zombie") return; // a zombie has no registers left
  p.pending = null;
  if (res !== NORETURN) core.setReg(p.cpu, RESULT_REG, is64 ? res : res >>> 0);
}

// One Ctx per process and image: its fields change only at execve.
function ctxOf(k: Kernel, p: Process): Ctx {
  const c = p.ctx;
  if (c && c.mem === p.mem) return c;
  return (p.ctx = { k, p, mem: p.mem, word: p.abi.word });
}

// Argument i, read from its register as its type says the kernel does.
function readArg(k: Kernel, p: Process, reads: readonly number[], i: number): number {
  const core = k.core;
  const r = p.abi.argRegs[i];
  const kind = reads[i];
  if (kind === READ_S32) return core.reg32(p.cpu, r) | 0;
  if (kind === READ_U32) return core.reg32(p.cpu, r);
  if (p.abi.word === 4) return kind === READ_SWORD ? core.reg32(p.cpu, r) | 0 : core.reg32(p.cpu, r);
  return kind === READ_SWORD ? core.regSigned(p.cpu, r) : core.reg(p.cpu, r);
}

function readArgs(k: Kernel, p: Process, def: SyscallDef): number[] {
  return def.reads.map((_, i) => readArg(k, p, def.reads, i));
}

// A signal arrived while p was blocked in a syscall. saRestart is null when no
// handler runs (a stop): the syscall runs again on resume, except the "never"
// kind, which fails with EINTR. With a handler, the syscall's restart kind
// decides (Linux's ERESTARTSYS, ERESTARTNOHAND, ERESTART_RESTARTBLOCK):
// restart after the handler by re-executing the 2-byte syscall instruction,
// or fail with EINTR.
export function interruptSyscall(k: Kernel, p: Process, saRestart: boolean | null): void {
  const core = k.core;
  const is64 = p.abi.word === 8;
  const def = (is64 ? X86_64_TABLE : I386_TABLE).get(is64 ? core.reg(p.cpu, RESULT_REG) : core.reg32(p.cpu, RESULT_REG));
  const kind = def?.restart ?? "sa";
  if (saRestart === null && kind !== "never") return;
  p.restartSyscall = false;
  k.tracer?.interrupted(p, kind);
  if (kind === "sa" && saRestart) {
    core.setIp(p.cpu, core.ip(p.cpu) - 2);
  } else {
    if (def?.interrupted) def.interrupted(ctxOf(k, p), ...readArgs(k, p, def));
    core.setReg(p.cpu, RESULT_REG, -EINTR);
  }
  p.pending = null;
}
