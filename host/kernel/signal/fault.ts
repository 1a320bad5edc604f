// CPU exceptions become the signals Linux sends for them, with its si_code,
// si_addr and the trap number and error code the sigcontext reports.
import {
  CPU_FAULT_ADDR, CPU_FAULT_CODE, CPU_INSN_ADDR, REASON_BREAKPOINT, REASON_DE, REASON_FPU, REASON_GP,
  REASON_PAGE_FAULT, REASON_UD, UD_INVALID,
} from "../../../assembly/layout.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";
import { SIGFPE, SIGILL, SIGSEGV, SIGTRAP } from "../signals.js";
import { dispatchSyscall } from "../syscalls/dispatch.js";
import { inVdso } from "../vdso/vdso.js";
import { forceSignal } from "./send.js";
import { FPE_INTDIV, ILL_ILLOPN, SEGV_ACCERR, SEGV_MAPERR, SI_KERNEL, type Siginfo } from "./siginfo.js";

const PF_PROT = 1, PF_USER = 4;
const TRAP_DE = 0, TRAP_BP = 3, TRAP_UD = 6, TRAP_GP = 13, TRAP_PF = 14, TRAP_MF = 16;
const PREFIXES = [0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65];

export function raiseFault(k: Kernel, p: Process, reason: number): void {
  const core = k.core;
  const at = core.u64(p.cpu + CPU_INSN_ADDR);
  let info: Siginfo;
  switch (reason) {
    case REASON_PAGE_FAULT: {
      const code = core.u32(p.cpu + CPU_FAULT_CODE);
      const addr = core.u64(p.cpu + CPU_FAULT_ADDR);
      info = { signo: SIGSEGV, code: code & PF_PROT ? SEGV_ACCERR : SEGV_MAPERR, kind: "fault", addr,
        trapno: TRAP_PF, err: code | PF_USER };
      break;
    }
    case REASON_UD:
      if (inVdso(p.mm, at)) { // the vDSO's hypercall: the syscall in eax, untraced
        dispatchSyscall(k, p, false);
        core.setIp(p.cpu, at + 2);
        return;
      }
      if (core.u32(p.cpu + CPU_FAULT_CODE) === UD_INVALID) core.setU32(p.cpu + CPU_FAULT_CODE, 0);
      else reportUnsupported(k, p, at);
      info = { signo: SIGILL, code: ILL_ILLOPN, kind: "fault", addr: at, trapno: TRAP_UD };
      break;
    case REASON_DE:
      info = { signo: SIGFPE, code: FPE_INTDIV, kind: "fault", addr: at, trapno: TRAP_DE };
      break;
    case REASON_BREAKPOINT: // int3 raises a plain SIGTRAP on x86 (si_code SI_KERNEL)
      info = { signo: SIGTRAP, code: SI_KERNEL, kind: "kernel", trapno: TRAP_BP };
      break;
    case REASON_FPU:
      info = { signo: SIGFPE, code: 0, kind: "fault", addr: at, trapno: TRAP_MF };
      break;
    case REASON_GP: // hlt, privileged instructions, int n: SIGSEGV with SI_KERNEL
      info = { signo: SIGSEGV, code: SI_KERNEL, kind: "kernel", trapno: TRAP_GP };
      break;
    default:
      k.log(`pid ${p.pid}: core stopped for unknown reason ${reason}`);
      info = { signo: SIGSEGV, code: SI_KERNEL, kind: "kernel" };
  }
  forceSignal(k, p, info);
}

// ud2 and friends are deliberate; anything else is an instruction forkbox lacks, so say so.
function reportUnsupported(k: Kernel, p: Process, at: number): void {
  const bytes = p.mem.read(at, 16) ?? new Uint8Array(0);
  let i = 0;
  while (i < bytes.length && PREFIXES.includes(bytes[i])) i++;
  if (p.abi.mode === 64 && (bytes[i] & 0xf0) === 0x40) i++;
  const deliberate = bytes[i] === 0x0f && (bytes[i + 1] === 0x0b || bytes[i + 1] === 0xb9 || bytes[i + 1] === 0xff);
  if (deliberate) return;
  const hex = Array.from(bytes.subarray(0, 15), (b) => b.toString(16).padStart(2, "0")).join(" ");
  k.log(`pid ${p.pid}: unsupported instruction at 0x${at.toString(16)}: ${hex}`);
}
