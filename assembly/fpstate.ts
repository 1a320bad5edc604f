// Saving and restoring the FPU/SSE state image (fxsave/fxrstor). The CPU
// block holds the state in fxsave layout already (layout.ts, FX_*), so these
// are copies: 64-bit mode includes XMM8-15, 32-bit mode stops after XMM7.
import { CPU_FPU, FX_MXCSR, FX_XMM, MXCSR_MASK, REASON_GP } from "./layout";
import { cpu, fault, mode64, stopped } from "./cpu";
import { rd32, rd64, wr64 } from "./mem";

@inline function imageSize(): u32 { return <u32>FX_XMM + (mode64 ? 256 : 128); }

export function fxsave(addr: u64): void {
  if ((<u32>addr & 15) != 0) { fault(REASON_GP); return; }
  let n = imageSize();
  let src = cpu + CPU_FPU;
  for (let i: u32 = 0; i < n && !stopped; i += 8) wr64(addr + i, load<u64>(src + i));
}

export function fxrstor(addr: u64): void {
  if ((<u32>addr & 15) != 0) { fault(REASON_GP); return; }
  let m = rd32(addr + FX_MXCSR);
  if (stopped) return;
  if (m & ~MXCSR_MASK) { fault(REASON_GP); return; }
  let n = imageSize();
  let dst = cpu + CPU_FPU;
  for (let i: u32 = 0; i < n; i += 8) {
    let v = rd64(addr + i);
    if (stopped) return;
    if (i == <u32>FX_MXCSR) store<u32>(dst + i, <u32>v); // MXCSR_MASK after it is read-only
    else store<u64>(dst + i, v);
  }
}
