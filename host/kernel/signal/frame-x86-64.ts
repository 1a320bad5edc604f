// The x86-64 signal frame (arch/x86/kernel/signal_64.c): struct rt_sigframe
// is pretcode, ucontext (304), siginfo (128), below a 64-byte aligned fxsave
// image; the restorer must come from SA_RESTORER.
import type { Core } from "../../core/core.js";
import type { Process } from "../process.js";
import {
  FXSAVE_SIZE, fitsAltStack, fpuImage, frameStack, handlerFlags, loadFpuImage, resetFpu, restoreFlags, roundDown,
  saveAltStack, setSegment,
} from "./context.js";
import type { FrameRequest, Sigreturn } from "./frame.js";
import { encodeSiginfo } from "./siginfo.js";
import { SA_RESTORER } from "./state.js";

const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
const CS = 1, SS = 2;
const USER_CS = 0x33, USER_DS = 0x2b;
const RED_ZONE = 128;
const UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;

const FRAME = { uc: 8, info: 312, size: 440 };
const UC = { flags: 0, link: 8, stack: 16, mcontext: 40, sigmask: 296 };
// struct sigcontext_64: r8..r15, then these in order, then rip, eflags, selectors...
const SC_REGS = [8, 9, 10, 11, 12, 13, 14, 15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP];
const SC = { rip: 128, eflags: 136, cs: 144, ss: 150, err: 152, trapno: 160, oldmask: 168, cr2: 176, fpstate: 184, size: 256 };

export function setupFrameX8664(core: Core, p: Process, r: FrameRequest): boolean {
  if (!(r.act.flags & SA_RESTORER)) return false; // Linux requires a restorer here
  const cpu = p.cpu;
  const sp = core.reg(cpu, RSP);
  const stack = frameStack(p, sp, r.act.flags, RED_ZONE);
  const bufFx = roundDown(stack.top - FXSAVE_SIZE, 64);
  const frame = roundDown(bufFx - FRAME.size, 16) - 8;
  if (frame < 0 || !fitsAltStack(p, stack, frame)) return false;

  const buf = new Uint8Array(bufFx + FXSAVE_SIZE - frame);
  const dv = new DataView(buf.buffer);
  buf.set(fpuImage(core, cpu), bufFx - frame);
  dv.setBigUint64(0, BigInt(r.act.restorer), true);
  const uc = FRAME.uc;
  const alt = saveAltStack(p);
  dv.setBigUint64(uc + UC.flags, BigInt(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS), true);
  dv.setBigUint64(uc + UC.stack, BigInt(alt.sp), true);
  dv.setInt32(uc + UC.stack + 8, alt.flags, true);
  dv.setBigUint64(uc + UC.stack + 16, BigInt(alt.size), true);
  const sc = uc + UC.mcontext;
  SC_REGS.forEach((reg, i) => dv.setBigUint64(sc + i * 8, core.regBig(cpu, reg), true));
  dv.setBigUint64(sc + SC.rip, BigInt(core.ip(cpu)), true);
  dv.setBigUint64(sc + SC.eflags, BigInt(core.x.cpuGetFlags(cpu)), true);
  dv.setUint16(sc + SC.cs, USER_CS, true); // gs and fs read as 0, as Linux writes them
  dv.setUint16(sc + SC.ss, USER_DS, true);
  dv.setBigUint64(sc + SC.err, BigInt(r.info.err ?? 0), true);
  dv.setBigUint64(sc + SC.trapno, BigInt(r.info.trapno ?? 0), true);
  dv.setBigUint64(sc + SC.oldmask, r.mask, true);
  dv.setBigUint64(sc + SC.cr2, BigInt(r.info.trapno === 14 ? r.info.addr ?? 0 : 0), true);
  dv.setBigUint64(sc + SC.fpstate, BigInt(bufFx), true);
  dv.setBigUint64(uc + UC.sigmask, r.mask, true);
  buf.set(encodeSiginfo(r.info, 8), FRAME.info);
  if (!p.mem.write(frame, buf)) return false;

  core.setReg(cpu, RSP, frame);
  core.setIp(cpu, r.act.handler);
  core.setReg(cpu, RDI, r.sig);
  core.setReg(cpu, RSI, frame + FRAME.info);
  core.setReg(cpu, RDX, frame + uc);
  core.setReg(cpu, RAX, 0);
  setSegment(core, cpu, CS, USER_CS);
  setSegment(core, cpu, SS, USER_DS);
  core.x.cpuSetFlags(cpu, handlerFlags(core, cpu));
  resetFpu(core, cpu);
  return true;
}

export function sigreturnX8664(core: Core, p: Process): Sigreturn | null {
  const cpu = p.cpu;
  const frame = core.reg(cpu, RSP) - 8; // the handler's ret popped pretcode
  const b = p.mem.read(frame, FRAME.size);
  if (!b) return null;
  const dv = new DataView(b.buffer);
  const sc = FRAME.uc + UC.mcontext;
  const fpstate = Number(dv.getBigUint64(sc + SC.fpstate, true));
  const fx = fpstate ? p.mem.read(fpstate, FXSAVE_SIZE) : null;
  if (fpstate && !fx) return null;
  SC_REGS.forEach((reg, i) => core.setRegBig(cpu, reg, dv.getBigUint64(sc + i * 8, true)));
  core.setIp(cpu, Number(dv.getBigUint64(sc + SC.rip, true)));
  restoreFlags(core, cpu, Number(dv.getBigUint64(sc + SC.eflags, true) & 0xffffffffn));
  if (fx) loadFpuImage(core, cpu, fx); else resetFpu(core, cpu);
  const st = FRAME.uc + UC.stack;
  const altStack = {
    sp: Number(dv.getBigUint64(st, true)), flags: dv.getInt32(st + 8, true), size: Number(dv.getBigUint64(st + 16, true)),
  };
  return { mask: dv.getBigUint64(FRAME.uc + UC.sigmask, true), altStack };
}
