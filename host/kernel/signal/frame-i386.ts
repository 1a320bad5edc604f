// The i386 signal frames (arch/x86/kernel/signal_32.c): struct sigframe for
// handlers without SA_SIGINFO, struct rt_sigframe with it, and the two
// sigreturns that read them back.
//
//   sigframe:    pretcode, sig, sigcontext (88), _fpstate unused (624), extramask, retcode[8]
//   rt_sigframe: pretcode, sig, pinfo, puc, siginfo (128), ucontext (116), retcode[8]
//   then, 64-byte aligned above either: the 112-byte i387 header and the fxsave image.
import type { Core } from "../../core/core.js";
import type { Process } from "../process.js";
import {
  FXSAVE_SIZE, fitsAltStack, fpuImage, frameStack, handlerFlags, loadDataSegment, loadFpuImage, resetFpu,
  restoreFlags, roundDown, saveAltStack, segment, setSegment,
} from "./context.js";
import { encodeSiginfo } from "./siginfo.js";
import { SA_RESTORER, SA_SIGINFO } from "./state.js";
import type { FrameRequest, Sigreturn } from "./frame.js";
import { vdsoImage } from "../vdso/vdso.js";

const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
const ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
const USER_CS = 0x23, USER_DS = 0x2b;
const NR_SIGRETURN = 119, NR_RT_SIGRETURN = 173;

const SIGCONTEXT_SIZE = 88;
const FSAVE_HEADER = 112; // struct _fpstate_32 up to _fxsr_env: where the fxsave image starts
const SIGFRAME = { sc: 8, extramask: 720, retcode: 724, size: 732 };
const RT = { pinfo: 8, puc: 12, info: 16, uc: 144, retcode: 260, size: 268 };
const UC = { flags: 0, link: 4, stack: 8, mcontext: 20, sigmask: 108 };

// struct sigcontext: the interrupted registers.
function writeSigcontext(core: Core, cpu: number, dv: DataView, at: number, r: FrameRequest, fpstate: number): void {
  const seg = (i: number) => segment(core, cpu, i);
  dv.setUint32(at + 0, seg(GS), true);
  dv.setUint32(at + 4, seg(FS), true);
  dv.setUint32(at + 8, seg(ES), true);
  dv.setUint32(at + 12, seg(DS), true);
  [EDI, ESI, EBP, ESP, EBX, EDX, ECX, EAX].forEach((reg, i) => dv.setUint32(at + 16 + i * 4, core.reg32(cpu, reg), true));
  dv.setUint32(at + 48, r.info.trapno ?? 0, true);
  dv.setUint32(at + 52, r.info.err ?? 0, true);
  dv.setUint32(at + 56, core.ip(cpu) >>> 0, true);
  dv.setUint32(at + 60, seg(CS), true);
  dv.setUint32(at + 64, core.x.cpuGetFlags(cpu), true);
  dv.setUint32(at + 68, core.reg32(cpu, ESP), true);
  dv.setUint32(at + 72, seg(SS), true);
  dv.setUint32(at + 76, fpstate, true);
  dv.setUint32(at + 80, Number(r.mask & 0xffffffffn), true);
  dv.setUint32(at + 84, r.info.trapno === 14 ? r.info.addr ?? 0 : 0, true); // cr2
}

// The legacy i387 environment in front of the fxsave image (convert_from_fxsr).
function writeFsaveHeader(dv: DataView, at: number, fx: Uint8Array): void {
  const f = new DataView(fx.buffer, fx.byteOffset);
  const swd = f.getUint16(2, true);
  const tos = (swd >> 11) & 7;
  let twd = 0xffff0000;
  for (let i = 0; i < 8; i++) {
    let tag = 3; // empty
    if (fx[4] & (1 << i)) {
      const st = 32 + ((i - tos) & 7) * 16;
      const exp = f.getUint16(st + 8, true) & 0x7fff;
      const zero = f.getUint32(st, true) === 0 && f.getUint32(st + 4, true) === 0;
      tag = exp === 0x7fff ? 2 : exp === 0 ? (zero ? 1 : 2) : f.getUint8(st + 7) & 0x80 ? 0 : 2;
    }
    twd |= tag << (2 * i);
  }
  dv.setUint32(at + 0, f.getUint16(0, true) | 0xffff0000, true);
  dv.setUint32(at + 4, swd | 0xffff0000, true);
  dv.setUint32(at + 8, twd >>> 0, true);
  dv.setUint32(at + 12, f.getUint32(8, true), true); // fip
  dv.setUint32(at + 16, (f.getUint16(12, true) | (f.getUint16(6, true) << 16)) >>> 0, true); // fcs | fop << 16
  dv.setUint32(at + 20, f.getUint32(16, true), true); // foo
  dv.setUint32(at + 24, f.getUint32(20, true), true); // fos
  for (let i = 0; i < 8; i++) new Uint8Array(dv.buffer).set(fx.subarray(32 + i * 16, 42 + i * 16), at + 28 + i * 10);
  dv.setUint16(at + 108, swd, true); // status
  dv.setUint16(at + 110, 0, true); // magic: X86_FXSR_MAGIC, an fxsave image follows
}

export function setupFrameI386(core: Core, p: Process, r: FrameRequest): boolean {
  const cpu = p.cpu;
  const rt = (r.act.flags & SA_SIGINFO) !== 0;
  const layout = rt ? RT : SIGFRAME;
  const sp = core.reg32(cpu, ESP);
  const stack = frameStack(p, sp, r.act.flags, 0);
  const bufFx = roundDown(stack.top - FXSAVE_SIZE, 64);
  const fpstate = bufFx - FSAVE_HEADER;
  const frame = roundDown(fpstate - layout.size + 4, 16) - 4;
  if (frame < 0 || !fitsAltStack(p, stack, frame)) return false;

  const buf = new Uint8Array(bufFx + FXSAVE_SIZE - frame);
  const dv = new DataView(buf.buffer);
  const fx = fpuImage(core, cpu);
  writeFsaveHeader(dv, fpstate - frame, fx);
  buf.set(fx, bufFx - frame);
  dv.setUint32(4, r.sig, true);
  // The restorer: SA_RESTORER's, else the vDSO's, as Linux; the retcode is
  // still written for programs that look for it.
  const restorer = p.mm.vdso + vdsoImage(p.abi).symbols.get(rt ? "__kernel_rt_sigreturn" : "__kernel_sigreturn")!;
  dv.setUint32(0, r.act.flags & SA_RESTORER ? r.act.restorer : restorer, true);
  if (rt) {
    dv.setUint32(RT.pinfo, frame + RT.info, true);
    dv.setUint32(RT.puc, frame + RT.uc, true);
    buf.set(encodeSiginfo(r.info, 4), RT.info);
    const alt = saveAltStack(p);
    dv.setUint32(RT.uc + UC.flags, 0, true);
    dv.setUint32(RT.uc + UC.link, 0, true);
    dv.setUint32(RT.uc + UC.stack, alt.sp, true);
    dv.setInt32(RT.uc + UC.stack + 4, alt.flags, true);
    dv.setUint32(RT.uc + UC.stack + 8, alt.size, true);
    writeSigcontext(core, cpu, dv, RT.uc + UC.mcontext, r, fpstate);
    dv.setBigUint64(RT.uc + UC.sigmask, r.mask, true);
    buf.set([0xb8, NR_RT_SIGRETURN, 0, 0, 0, 0xcd, 0x80, 0], RT.retcode); // movl $NR, %eax; int $0x80
  } else {
    writeSigcontext(core, cpu, dv, SIGFRAME.sc, r, fpstate);
    dv.setUint32(SIGFRAME.extramask, Number(r.mask >> 32n), true);
    buf.set([0x58, 0xb8, NR_SIGRETURN, 0, 0, 0, 0xcd, 0x80], SIGFRAME.retcode); // popl %eax; movl; int $0x80
  }
  if (!p.mem.write(frame, buf)) return false;

  core.setReg(cpu, ESP, frame);
  core.setIp(cpu, r.act.handler);
  core.setReg(cpu, EAX, r.sig);
  core.setReg(cpu, EDX, rt ? frame + RT.info : 0);
  core.setReg(cpu, ECX, rt ? frame + RT.uc : 0);
  for (const s of [DS, ES, SS]) setSegment(core, cpu, s, USER_DS);
  setSegment(core, cpu, CS, USER_CS);
  core.x.cpuSetFlags(cpu, handlerFlags(core, cpu));
  resetFpu(core, cpu);
  return true;
}

// restore_sigcontext: registers, flags and the FPU image the frame points at.
function restoreSigcontext(core: Core, p: Process, sc: DataView): boolean {
  const cpu = p.cpu;
  for (const [seg, off] of [[GS, 0], [FS, 4], [ES, 8], [DS, 12]]) {
    if (!loadDataSegment(core, cpu, seg, sc.getUint32(off, true))) return false;
  }
  [EDI, ESI, EBP, ESP, EBX, EDX, ECX, EAX].forEach((reg, i) => core.setReg(cpu, reg, sc.getUint32(16 + i * 4, true)));
  core.setIp(cpu, sc.getUint32(56, true));
  restoreFlags(core, cpu, sc.getUint32(64, true));
  const fpstate = sc.getUint32(76, true);
  if (!fpstate) { resetFpu(core, cpu); return true; }
  const fx = p.mem.read(fpstate + FSAVE_HEADER, FXSAVE_SIZE);
  if (!fx) return false;
  loadFpuImage(core, cpu, fx);
  return true;
}

// sigreturn/rt_sigreturn: the handler returned into the restorer.
export function sigreturnI386(core: Core, p: Process, rt: boolean): Sigreturn | null {
  const sp = core.reg32(p.cpu, ESP);
  if (rt) {
    const frame = sp - 4; // the handler's ret popped pretcode
    const b = p.mem.read(frame, RT.size);
    if (!b) return null;
    const dv = new DataView(b.buffer);
    if (!restoreSigcontext(core, p, new DataView(b.buffer, RT.uc + UC.mcontext, SIGCONTEXT_SIZE))) return null;
    const st = RT.uc + UC.stack;
    const altStack = { sp: dv.getUint32(st, true), flags: dv.getInt32(st + 4, true), size: dv.getUint32(st + 8, true) };
    return { mask: dv.getBigUint64(RT.uc + UC.sigmask, true), altStack };
  }
  const frame = sp - 8; // and the restorer popped sig
  const b = p.mem.read(frame, SIGFRAME.size);
  if (!b) return null;
  const dv = new DataView(b.buffer);
  if (!restoreSigcontext(core, p, new DataView(b.buffer, SIGFRAME.sc, SIGCONTEXT_SIZE))) return null;
  const mask = BigInt(dv.getUint32(SIGFRAME.sc + 80, true)) | (BigInt(dv.getUint32(SIGFRAME.extramask, true)) << 32n);
  return { mask, altStack: null };
}
