// The Wasm core's exports: the run(task, budget) boundary, address spaces,
// CPU blocks and counters. Addresses cross as f64 (exact below 2^53), so the
// host never handles BigInt.
import {
  AS_LEVELS_32, CPU_FPU, CPU_MODE, CPU_SIZE, FCW_INIT, FX_FCW, FX_MXCSR, FX_MXCSR_MASK, MXCSR_INIT, MXCSR_MASK,
} from "./layout";
import { frameAllocZero, frameUnref, framesInit, framesPeak, framesUsed } from "./frames";
import { asClone, asEnsure, asFree, asMap, asMove, asNew, asProtect, asUnmap, cowCopies } from "./pagetable";
import { getFlags, loadFlagState, setFlags } from "./flags";
import { retired } from "./counters";
import { tlbFlush } from "./tlb";
import { CPU_FLAGS, CPU_LAZY_OP, CPU_LAZY_SIZE, CPU_LAZY_A, CPU_LAZY_B, CPU_LAZY_RES } from "./layout";
export { run } from "./interp";
// The block compiler's side of the boundary (assembly/jit.ts): what the
// generated modules import, and the host's install calls.
export { blockInstall, blockQueueDone, jitCond, jitImul, jitRead, jitWrite } from "./jit";
export { ip, insnStart, stopped } from "./cpu";
export { lazyA, lazyB, lazyOp, lazyRes, lazySize } from "./flags";
export { branched } from "./fast";
export { tlbKey } from "./tlb";

framesInit();

export function cpuNew(mode: u32): usize {
  let p = frameAllocZero();
  if (!p) return 0;
  store<u32>(p + CPU_MODE, mode);
  store<u16>(p + CPU_FPU + FX_FCW, <u16>FCW_INIT);
  store<u32>(p + CPU_FPU + FX_MXCSR, MXCSR_INIT);
  store<u32>(p + CPU_FPU + FX_MXCSR_MASK, MXCSR_MASK);
  return p;
}

export function cpuFree(p: usize): void { frameUnref(p); }

// Copy a whole CPU block (fork). The address-space handle is copied too.
export function cpuCopy(dst: usize, src: usize): void { memory.copy(dst, src, CPU_SIZE); }

// eflags of a stopped task, materialised from its lazy state.
export function cpuGetFlags(p: usize): u32 {
  loadFlagState(load<u32>(p + CPU_FLAGS), load<u32>(p + CPU_LAZY_OP), load<u32>(p + CPU_LAZY_SIZE),
    load<u64>(p + CPU_LAZY_A), load<u64>(p + CPU_LAZY_B), load<u64>(p + CPU_LAZY_RES));
  return getFlags();
}

export function cpuSetFlags(p: usize, v: u32): void {
  setFlags(v);
  store<u32>(p + CPU_FLAGS, v | 2);
  store<u32>(p + CPU_LAZY_OP, 0);
}

export function addressSpaceNew(levels: u32): u32 { return asNew(levels == 0 ? AS_LEVELS_32 : levels); }
export function addressSpaceClone(as: u32): u32 { return asClone(as); }
export function addressSpaceFree(as: u32): void { asFree(as); }
export function addressSpaceMap(as: u32, va: f64, len: f64, prot: u32): i32 { return asMap(as, <u64>va, <u64>len, prot); }
export function addressSpaceMove(as: u32, from: f64, to: f64, len: f64): i32 { return asMove(as, <u64>from, <u64>to, <u64>len); }
export function addressSpaceUnmap(as: u32, va: f64, len: f64): void { asUnmap(as, <u64>va, <u64>len); }
export function addressSpaceProtect(as: u32, va: f64, len: f64, prot: u32): void { asProtect(as, <u64>va, <u64>len, prot); }
export function addressSpaceEnsure(as: u32, va: f64, len: f64, write: bool): i32 { return asEnsure(as, <u64>va, <u64>len, write); }
// For tests that write guest memory behind the core's back.
export function flushTlb(): void { tlbFlush(); }

export function statFramesUsed(): u32 { return framesUsed; }
export function statFramesPeak(): u32 { return framesPeak; }
export function statCowCopies(): f64 { return <f64>cowCopies; }
export function statRetired(): f64 { return <f64>retired; }
