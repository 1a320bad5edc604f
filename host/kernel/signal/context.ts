// What both ABIs' signal frames share: where the frame goes (alternate stack,
// FPU area), the FPU image, the flags a handler starts with and the flags
// sigreturn may restore, and selector reloads.
import { CPU_FPU, CPU_FS_BASE, CPU_GS_BASE, CPU_SEGS, CPU_TLS, CPU_TLS_FIRST } from "../../../assembly/layout.js";
import type { Core } from "../../core/core.js";
import type { Process } from "../process.js";
import { SA_ONSTACK, SS_AUTODISARM, SS_DISABLE } from "./state.js";

// The x87/SSE state in a frame is the 512-byte fxsave image kept at CPU_FPU.
export const FXSAVE_SIZE = 512;
const FCW_INIT = 0x37f, MXCSR_INIT = 0x1f80;

const EFLAGS_TF = 0x100, EFLAGS_DF = 0x400, EFLAGS_RF = 0x10000;
// The flags sigreturn takes from the frame (Linux's FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF.
export const FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;

export function fpuImage(core: Core, cpu: number): Uint8Array {
  return core.u8.slice(cpu + CPU_FPU, cpu + CPU_FPU + FXSAVE_SIZE);
}

export function loadFpuImage(core: Core, cpu: number, img: Uint8Array): void {
  const copy = img.slice(0, FXSAVE_SIZE);
  const dv = new DataView(copy.buffer);
  dv.setUint32(24, dv.getUint32(24, true) & 0xffff, true); // MXCSR: reserved bits cannot be set
  core.u8.set(copy, cpu + CPU_FPU);
}

// A handler starts with a freshly initialised FPU, as after fninit/ldmxcsr(0x1f80).
export function resetFpu(core: Core, cpu: number): void {
  const img = new Uint8Array(FXSAVE_SIZE);
  const dv = new DataView(img.buffer);
  dv.setUint16(0, FCW_INIT, true);
  dv.setUint32(24, MXCSR_INIT, true);
  core.u8.set(img, cpu + CPU_FPU);
}

// Where a handler's frame may start growing down from: the interrupted stack
// (minus the red zone on x86-64) or the top of the alternate stack under SA_ONSTACK.
export interface StackChoice { top: number; altStack: boolean; }
export function frameStack(p: Process, sp: number, flags: number, redZone: number): StackChoice {
  const s = p.sig;
  const nested = s.onAltStack(sp);
  if (flags & SA_ONSTACK && s.altStackFlags(sp - redZone) === 0) return { top: s.altSp + s.altSize, altStack: true };
  return { top: sp - redZone, altStack: nested };
}

// A frame that would overflow the alternate stack is refused (the process gets SIGSEGV).
export function fitsAltStack(p: Process, choice: StackChoice, frame: number): boolean {
  const s = p.sig;
  return !choice.altStack || (frame > s.altSp && frame - s.altSp <= s.altSize);
}

// uc_stack as the frame records it; SS_AUTODISARM then disarms the stack.
export function saveAltStack(p: Process): { sp: number; flags: number; size: number } {
  const s = p.sig;
  const saved = { sp: s.altSp, flags: s.altFlags, size: s.altSize };
  if (s.altFlags & SS_AUTODISARM) {
    s.altSp = 0;
    s.altSize = 0;
    s.altFlags = SS_DISABLE;
  }
  return saved;
}

export function handlerFlags(core: Core, cpu: number): number {
  return core.x.cpuGetFlags(cpu) & ~(EFLAGS_DF | EFLAGS_TF | EFLAGS_RF);
}

export function restoreFlags(core: Core, cpu: number, saved: number): void {
  core.x.cpuSetFlags(cpu, ((core.x.cpuGetFlags(cpu) & ~FIX_EFLAGS) | (saved & FIX_EFLAGS)) >>> 0);
}

export function segment(core: Core, cpu: number, idx: number): number {
  return core.dv.getUint16(cpu + CPU_SEGS + idx * 2, true);
}

export function setSegment(core: Core, cpu: number, idx: number, sel: number): void {
  core.dv.setUint16(cpu + CPU_SEGS + idx * 2, sel, true);
}

// Reload an i386 data selector from a frame, with the base its TLS slot gives
// FS/GS. Returns false for a selector that names no usable descriptor.
export function loadDataSegment(core: Core, cpu: number, idx: number, sel: number): boolean {
  sel &= 0xffff;
  if (sel === segment(core, cpu, idx)) return true;
  const index = sel >> 3;
  let base = 0;
  if (sel > 3) {
    const tls = !(sel & 4) && index >= CPU_TLS_FIRST && index < CPU_TLS_FIRST + 3;
    if (tls) {
      const e = cpu + CPU_TLS + (index - CPU_TLS_FIRST) * 16;
      if (!core.u32(e + 12)) return false;
      base = core.u32(e);
    } else if (sel !== 0x2b && sel !== 0x23) return false;
  }
  if (idx === 4) core.setU64(cpu + CPU_FS_BASE, base);
  if (idx === 5) core.setU64(cpu + CPU_GS_BASE, base);
  setSegment(core, cpu, idx, sel);
  return true;
}

export const roundDown = (v: number, a: number): number => v - (((v % a) + a) % a);
