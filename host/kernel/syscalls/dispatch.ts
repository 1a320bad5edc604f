// One place turns a trapped syscall into a handler call and the result into
// the return register, for both ABIs.
import { RESULT_REG } from "../abi.js";
import { ENOSYS } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { I386_NAMES, X86_64_NAMES } from "./names.gen.js";
import { I386_TABLE, X86_64_TABLE } from "./tables.js";
import { NORETURN, SIGNED32, SIGNEDWORD, UNSIGNED32, type Ctx } from "./types.js";

const reported = new Set<string>();

export function dispatchSyscall(k: Kernel, p: Process): void {
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
    k.tracer?.unknown(p, name);
    core.setReg(p.cpu, RESULT_REG, -ENOSYS);
    return;
  }
  const args: number[] = [];
  for (let i = 0; i < def.args.length; i++) {
    const t = def.args[i];
    const r = p.abi.argRegs[i];
    if (SIGNED32.has(t)) args.push(core.reg32(p.cpu, r) | 0);
    else if (UNSIGNED32.has(t)) args.push(core.reg32(p.cpu, r));
    else if (SIGNEDWORD.has(t)) args.push(is64 ? Number(BigInt.asIntN(64, core.regBig(p.cpu, r))) : core.reg32(p.cpu, r) | 0);
    else args.push(is64 ? core.reg(p.cpu, r) : core.reg32(p.cpu, r));
  }
  const ctx: Ctx = { k, p, mem: p.mem, word: p.abi.word };
  k.tracer?.enter(p, def.name, def.args, def.ret, args);
  const res = def.fn(ctx, ...args);
  k.tracer?.leave(p, res);
  if (res === BLOCKED) return;
  p.pending = null;
  if (res !== NORETURN) core.setReg(p.cpu, RESULT_REG, is64 ? res : res >>> 0);
}
