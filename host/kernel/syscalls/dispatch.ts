// One place turns a trapped syscall into a handler call and the result into
// the return register, for both ABIs.
import { RESULT_REG } from "../abi.js";
import { EINTR, ENOSYS } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { I386_NAMES, X86_64_NAMES } from "./names.gen.js";
import { I386_TABLE, X86_64_TABLE } from "./tables.js";
import { NORETURN, SIGNED32, SIGNEDWORD, UNSIGNED32, type Ctx, type SyscallDef } from "./types.js";

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
  const ctx: Ctx = { k, p, mem: p.mem, word: p.abi.word };
  const args = readArgs(k, p, def);
  tracer?.enter(p, def.name, def.args, def.ret, args);
  const res = def.fn(ctx, ...args);
  tracer?.leave(p, res);
  if (res === BLOCKED || p.state === "zombie") return; // a zombie has no registers left
  p.pending = null;
  if (res !== NORETURN) core.setReg(p.cpu, RESULT_REG, is64 ? res : res >>> 0);
}

function readArgs(k: Kernel, p: Process, def: SyscallDef): number[] {
  const core = k.core;
  const is64 = p.abi.word === 8;
  const args: number[] = [];
  for (let i = 0; i < def.args.length; i++) {
    const t = def.args[i];
    const r = p.abi.argRegs[i];
    if (SIGNED32.has(t)) args.push(core.reg32(p.cpu, r) | 0);
    else if (UNSIGNED32.has(t)) args.push(core.reg32(p.cpu, r));
    else if (SIGNEDWORD.has(t)) args.push(is64 ? core.regSigned(p.cpu, r) : core.reg32(p.cpu, r) | 0);
    else args.push(is64 ? core.reg(p.cpu, r) : core.reg32(p.cpu, r));
  }
  return args;
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
    if (def?.interrupted) def.interrupted({ k, p, mem: p.mem, word: p.abi.word }, ...readArgs(k, p, def));
    core.setReg(p.cpu, RESULT_REG, -EINTR);
  }
  p.pending = null;
}
