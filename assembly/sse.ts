// The SSE/SSE2 part of the 0x0f opcode map: moves, packed integer operations,
// shuffles, and the MXCSR/fxsave state instructions. Floating-point arithmetic
// is in ssefp.ts. The mandatory prefix (none, 66, f2, f3) selects the form;
// forms without one that name MMX registers are in mmx.ts.
import {
  CPU_FPU, FX_MXCSR, FX_XMM, MXCSR_MASK, REASON_GP, REASON_UD,
} from "./layout";
import { cpu, fault, invalidOpcode, mode64, rget, rget32, rget64, rset, rset32, rset64, stopped } from "./cpu";
import { adMask, decodeModrm, ea, fetch8, linear, lockPrefix, mod, opsize, opsizePrefix, reg, rep, rexPresent, rm } from "./decode";
import { rd128, rd16, rd32, rd64, rdN, wr128, wr32, wr64, wr8, wrN } from "./mem";
import { sseFloat } from "./ssefp";
import { isMmxOp, mmxOp } from "./mmx";
import { fxrstor, fxsave } from "./fpstate";

// The mandatory prefix of the instruction being executed.
export const PFX_NONE: u32 = 0, PFX_66: u32 = 1, PFX_F2: u32 = 2, PFX_F3: u32 = 3;
export let pfx: u32 = PFX_NONE;

@inline export function mandatoryPrefix(): u32 {
  return rep == 0xf3 ? PFX_F3 : rep == 0xf2 ? PFX_F2 : opsizePrefix ? PFX_66 : PFX_NONE;
}

const ZERO: v128 = i64x2.splat(0);
const SCRATCH: usize = memory.data(48);

@inline export function xmmAddr(i: u32): usize { return cpu + CPU_FPU + FX_XMM + (<usize>i << 4); }
@inline export function xget(i: u32): v128 { return v128.load(xmmAddr(i)); }
@inline export function xset(i: u32, v: v128): void { v128.store(xmmAddr(i), v); }
@inline export function mxcsr(): u32 { return load<u32>(cpu + CPU_FPU + FX_MXCSR); }
@inline export function setMxcsr(v: u32): void { store<u32>(cpu + CPU_FPU + FX_MXCSR, v); }

// The r/m operand, 128 bits. Legacy SSE memory operands must be 16-byte
// aligned unless the instruction says otherwise (#GP → SIGSEGV).
export function xsrc(aligned: bool): v128 {
  if (mod == 3) return xget(rm);
  if (aligned && (<u32>ea & 15) != 0) { fault(REASON_GP); return ZERO; }
  return rd128(ea);
}

// Scalar r/m operands: the low 32 or 64 bits of a register, or memory.
export function xsrc32(): u32 { return mod == 3 ? load<u32>(xmmAddr(rm)) : rd32(ea); }
export function xsrc64(): u64 { return mod == 3 ? load<u64>(xmmAddr(rm)) : rd64(ea); }

export function xstore(v: v128, aligned: bool): void {
  if (mod == 3) { xset(rm, v); return; }
  if (aligned && (<u32>ea & 15) != 0) { fault(REASON_GP); return; }
  wr128(ea, v);
}

@inline function lo64(v: v128): u64 { return i64x2.extract_lane(v, 0); }
@inline function hi64(v: v128): u64 { return i64x2.extract_lane(v, 1); }
@inline function make64(lo: u64, hi: u64): v128 { return i64x2.replace_lane(i64x2.splat(lo), 1, hi); }

export function sseOp(op: u32): void {
  if (lockPrefix) { invalidOpcode(); return; } // none of these is lockable
  pfx = mandatoryPrefix();
  if ((pfx == PFX_NONE && isMmxOp(op)) || (op == 0xd6 && pfx >= PFX_F2)) { mmxOp(op, pfx); return; }
  if ((op >= 0x60 && op <= 0x7f && op != 0x77) || op >= 0xd0) {
    if (op == 0x7e && pfx == PFX_F3) { decodeModrm(0); let v = xsrc64(); if (!stopped) xset(reg, make64(v, 0)); return; }
    if (op == 0xd0 || op == 0x7c || op == 0x7d) { sseFloat(op); return; } // SSE3 horizontal ops
    if (op == 0xe6) { sseFloat(op); return; }
    if (op == 0xf0 && pfx == PFX_F2) { decodeModrm(0); if (mod == 3) { fault(REASON_UD); return; } let v = rd128(ea); if (!stopped) xset(reg, v); return; } // lddqu
    if (pfx != PFX_66 && !(op == 0x6f || op == 0x7f ? pfx == PFX_F3 : op == 0x70 && pfx != PFX_NONE)) { fault(REASON_UD); return; }
    integerOp(op);
    return;
  }
  switch (op) {
    case 0x10: case 0x11: moveUnaligned(op); return;
    case 0x12: case 0x13: case 0x16: case 0x17: moveHalf(op); return;
    case 0x14: case 0x15: { // unpcklps/pd, unpckhps/pd
      if (pfx >= PFX_F2) { fault(REASON_UD); return; }
      decodeModrm(0);
      let b = xsrc(true);
      if (stopped) return;
      let a = xget(reg);
      let r = pfx == PFX_66
        ? (op == 0x14 ? i64x2.shuffle(a, b, 0, 2) : i64x2.shuffle(a, b, 1, 3))
        : (op == 0x14 ? i32x4.shuffle(a, b, 0, 4, 1, 5) : i32x4.shuffle(a, b, 2, 6, 3, 7));
      xset(reg, r);
      return;
    }
    case 0x28: case 0x29: case 0x2b: { // movaps/movapd, movntps/pd
      if (pfx >= PFX_F2) { sseFloat(op); return; }
      decodeModrm(0);
      if (op == 0x28) { let v = xsrc(true); if (!stopped) xset(reg, v); return; }
      if (op == 0x2b && mod == 3) { fault(REASON_UD); return; }
      xstore(xget(reg), true);
      return;
    }
    case 0x50: { // movmskps/pd
      decodeModrm(0);
      if (mod != 3 || pfx >= PFX_F2) { fault(REASON_UD); return; }
      let v = xget(rm);
      rset32(reg, pfx == PFX_66 ? <u32>i64x2.bitmask(v) : <u32>i32x4.bitmask(v));
      return;
    }
    case 0x54: case 0x55: case 0x56: case 0x57: { // andps andnps orps xorps (and pd)
      if (pfx >= PFX_F2) { fault(REASON_UD); return; }
      decodeModrm(0);
      let b = xsrc(true);
      if (stopped) return;
      let a = xget(reg);
      xset(reg, op == 0x54 ? v128.and(a, b) : op == 0x55 ? v128.andnot(b, a) : op == 0x56 ? v128.or(a, b) : v128.xor(a, b));
      return;
    }
    case 0xae: group15(); return;
    case 0xc3: { // movnti
      decodeModrm(0);
      if (mod == 3 || pfx != PFX_NONE) { fault(REASON_UD); return; }
      wrN(opsize == 8 ? 8 : 4, ea, rget64(reg));
      return;
    }
    case 0xc4: { // pinsrw
      if (pfx != PFX_66) { fault(REASON_UD); return; }
      decodeModrm(1);
      let v: u32 = mod == 3 ? rget32(rm) : rd16(ea);
      let i = fetch8() & 7;
      if (!stopped) store<u16>(xmmAddr(reg) + (i << 1), <u16>v);
      return;
    }
    case 0xc5: { // pextrw
      if (pfx != PFX_66) { fault(REASON_UD); return; }
      decodeModrm(1);
      let i = fetch8() & 7;
      if (mod != 3) { fault(REASON_UD); return; }
      rset32(reg, <u32>load<u16>(xmmAddr(rm) + (i << 1)));
      return;
    }
    case 0xc6: { // shufps/shufpd
      if (pfx >= PFX_F2) { fault(REASON_UD); return; }
      decodeModrm(1);
      let b = xsrc(true);
      let imm = fetch8();
      if (stopped) return;
      let a = xget(reg);
      if (pfx == PFX_66) {
        xset(reg, make64((imm & 1) ? hi64(a) : lo64(a), (imm & 2) ? hi64(b) : lo64(b)));
      } else {
        let r = i32x4.splat(0);
        r = i32x4.replace_lane(r, 0, lane32(a, imm & 3));
        r = i32x4.replace_lane(r, 1, lane32(a, (imm >> 2) & 3));
        r = i32x4.replace_lane(r, 2, lane32(b, (imm >> 4) & 3));
        r = i32x4.replace_lane(r, 3, lane32(b, (imm >> 6) & 3));
        xset(reg, r);
      }
      return;
    }
    default:
      sseFloat(op);
  }
}

// Lane i of a vector, i not a constant.
export function lane32(v: v128, i: u32): i32 {
  v128.store(SCRATCH, v);
  return load<i32>(SCRATCH + (<usize>i << 2));
}

// movups/movupd/movss/movsd, loads (0x10) and stores (0x11).
function moveUnaligned(op: u32): void {
  decodeModrm(0);
  if (pfx <= PFX_66) {
    if (op == 0x10) { let v = xsrc(false); if (!stopped) xset(reg, v); } else xstore(xget(reg), false);
    return;
  }
  let size: u32 = pfx == PFX_F3 ? 4 : 8;
  if (op == 0x10) {
    if (mod == 3) { // register form merges the low element
      if (size == 4) store<u32>(xmmAddr(reg), load<u32>(xmmAddr(rm)));
      else store<u64>(xmmAddr(reg), load<u64>(xmmAddr(rm)));
      return;
    }
    let v = rdN(size, ea);
    if (!stopped) xset(reg, make64(v, 0));
  } else {
    if (mod == 3) {
      if (size == 4) store<u32>(xmmAddr(rm), load<u32>(xmmAddr(reg)));
      else store<u64>(xmmAddr(rm), load<u64>(xmmAddr(reg)));
      return;
    }
    wrN(size, ea, load<u64>(xmmAddr(reg)));
  }
}

// movlps/movhps/movlpd/movhpd, movhlps/movlhps, movddup/movsldup/movshdup.
function moveHalf(op: u32): void {
  decodeModrm(0);
  let a = xmmAddr(reg);
  if (pfx == PFX_F2) { // movddup
    if (op != 0x12) { fault(REASON_UD); return; }
    let v = xsrc64();
    if (!stopped) xset(reg, i64x2.splat(v));
    return;
  }
  if (pfx == PFX_F3) { // movsldup / movshdup
    if (op != 0x12 && op != 0x16) { fault(REASON_UD); return; }
    let v = xsrc(true);
    if (stopped) return;
    xset(reg, op == 0x12 ? i32x4.shuffle(v, v, 0, 0, 2, 2) : i32x4.shuffle(v, v, 1, 1, 3, 3));
    return;
  }
  let half: usize = op < 0x16 ? 0 : 8;
  if (op == 0x12 || op == 0x16) {
    if (mod == 3) {
      if (pfx == PFX_66) { fault(REASON_UD); return; }
      // movhlps: low ← high of src; movlhps: high ← low of src
      store<u64>(a + half, load<u64>(xmmAddr(rm) + (8 - half)));
      return;
    }
    let v = rd64(ea);
    if (!stopped) store<u64>(a + half, v);
    return;
  }
  if (mod == 3) { fault(REASON_UD); return; }
  wr64(ea, load<u64>(a + half));
}

// 66 0f 60..7f, d0..ff: SSE2 integer instructions (and movdqu/pshufhw/pshuflw with f3/f2).
function integerOp(op: u32): void {
  switch (op) {
    case 0x6e: { // movd/movq xmm, r/m
      decodeModrm(0);
      let size: u32 = opsize == 8 ? 8 : 4;
      let v = mod == 3 ? rget(size, rm, false) : rdN(size, ea);
      if (!stopped) xset(reg, make64(v, 0));
      return;
    }
    case 0x7e: { // movd/movq r/m, xmm
      decodeModrm(0);
      let size: u32 = opsize == 8 ? 8 : 4;
      let v = load<u64>(xmmAddr(reg));
      if (mod == 3) rset(size, rm, v, false); else wrN(size, ea, v);
      return;
    }
    case 0x6f: { decodeModrm(0); let v = xsrc(pfx == PFX_66); if (!stopped) xset(reg, v); return; }
    case 0x7f: { decodeModrm(0); xstore(xget(reg), pfx == PFX_66); return; }
    case 0xe7: { decodeModrm(0); if (mod == 3) { fault(REASON_UD); return; } xstore(xget(reg), true); return; }
    case 0xd6: { // movq xmm/m64, xmm
      decodeModrm(0);
      let v = load<u64>(xmmAddr(reg));
      if (mod == 3) xset(rm, make64(v, 0)); else wr64(ea, v);
      return;
    }
    case 0xd7: { // pmovmskb
      decodeModrm(0);
      if (mod != 3) { fault(REASON_UD); return; }
      rset32(reg, <u32>i8x16.bitmask(xget(rm)));
      return;
    }
    case 0xf7: { // maskmovdqu: bytes of reg where rm's mask byte has its top bit, to [rdi]
      decodeModrm(0);
      if (mod != 3) { fault(REASON_UD); return; }
      let dst = linear(rget64(7) & adMask());
      let m = i8x16.bitmask(xget(rm));
      let s = xmmAddr(reg);
      for (let i: u32 = 0; i < 16 && !stopped; i++) if (m & (1 << i)) wr8(dst + i, load<u8>(s + i));
      return;
    }
    case 0x70: { // pshufd / pshufhw / pshuflw
      decodeModrm(1);
      let v = xsrc(true);
      let imm = fetch8();
      if (stopped) return;
      xset(reg, shuffleImm(v, imm, pfx));
      return;
    }
    case 0x71: case 0x72: case 0x73: { // shift by immediate
      decodeModrm(1);
      let n = fetch8();
      if (mod != 3) { fault(REASON_UD); return; }
      let v = xget(rm);
      let r: v128;
      let k = reg & 7;
      if (op == 0x73 && (k == 3 || k == 7)) r = byteShift(v, n, k == 7);
      else {
        let kind = shiftKind(op, k);
        if (kind < 0) { fault(REASON_UD); return; }
        r = pshift(kind, v, <u64>n);
      }
      xset(rm, r);
      return;
    }
    case 0xd1: case 0xd2: case 0xd3: case 0xe1: case 0xe2: case 0xf1: case 0xf2: case 0xf3: {
      decodeModrm(0);
      let c = xsrc(true);
      if (stopped) return;
      let kind: i32 = op < 0xe0 ? <i32>(op - 0xd1) : op < 0xf0 ? <i32>(op - 0xe1 + 3) : <i32>(op - 0xf1 + 5);
      xset(reg, pshift(kind, xget(reg), lo64(c)));
      return;
    }
  }
  decodeModrm(0);
  let b = xsrc(true);
  if (stopped) return;
  let r = packedInt(op, xget(reg), b);
  if (!stopped) xset(reg, r);
}

// Shift kinds: 0 psrlw 1 psrld 2 psrlq 3 psraw 4 psrad 5 psllw 6 pslld 7 psllq.
export function shiftKind(op: u32, k: u32): i32 {
  let base: i32 = op == 0x71 ? 0 : op == 0x72 ? 1 : 2;
  if (k == 2) return base;
  if (k == 4) return op == 0x73 ? -1 : base + 3;
  if (k == 6) return base + 5;
  return -1;
}

export function pshift(kind: i32, v: v128, count: u64): v128 {
  switch (kind) {
    case 0: return count > 15 ? ZERO : i16x8.shr_u(v, <i32>count);
    case 1: return count > 31 ? ZERO : i32x4.shr_u(v, <i32>count);
    case 2: return count > 63 ? ZERO : i64x2.shr_u(v, <i32>count);
    case 3: return i16x8.shr_s(v, count > 15 ? 15 : <i32>count);
    case 4: return i32x4.shr_s(v, count > 31 ? 31 : <i32>count);
    case 5: return count > 15 ? ZERO : i16x8.shl(v, <i32>count);
    case 6: return count > 31 ? ZERO : i32x4.shl(v, <i32>count);
    default: return count > 63 ? ZERO : i64x2.shl(v, <i32>count);
  }
}

// psrldq / pslldq: whole-register byte shifts.
export function byteShift(v: v128, n: u32, left: bool): v128 {
  if (n > 16) n = 16;
  v128.store(SCRATCH, ZERO);
  v128.store(SCRATCH + 16, v);
  v128.store(SCRATCH + 32, ZERO);
  return v128.load(SCRATCH + 16 + (left ? -<isize>n : <isize>n));
}

export function shuffleImm(v: v128, imm: u32, p: u32): v128 {
  for (let i: u32 = 0; i < 8; i++) {
    let w: u32; // source word for word i
    if (p == PFX_66) w = (((imm >> ((i >> 1) << 1)) & 3) << 1) | (i & 1);
    else if (p == PFX_F3) w = i < 4 ? i : 4 + ((imm >> ((i - 4) << 1)) & 3);
    else w = i >= 4 ? i : (imm >> (i << 1)) & 3;
    store<u16>(SCRATCH + (<usize>i << 1), <u16>((w << 1) | (((w << 1) + 1) << 8)));
  }
  return i8x16.swizzle(v, v128.load(SCRATCH));
}

export function packedInt(op: u32, a: v128, b: v128): v128 {
  switch (op) {
    case 0x60: return i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    case 0x61: return i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
    case 0x62: return i32x4.shuffle(a, b, 0, 4, 1, 5);
    case 0x63: return i8x16.narrow_i16x8_s(a, b);
    case 0x64: return i8x16.gt_s(a, b);
    case 0x65: return i16x8.gt_s(a, b);
    case 0x66: return i32x4.gt_s(a, b);
    case 0x67: return i8x16.narrow_i16x8_u(a, b);
    case 0x68: return i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    case 0x69: return i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
    case 0x6a: return i32x4.shuffle(a, b, 2, 6, 3, 7);
    case 0x6b: return i16x8.narrow_i32x4_s(a, b);
    case 0x6c: return i64x2.shuffle(a, b, 0, 2);
    case 0x6d: return i64x2.shuffle(a, b, 1, 3);
    case 0x74: return i8x16.eq(a, b);
    case 0x75: return i16x8.eq(a, b);
    case 0x76: return i32x4.eq(a, b);
    case 0xd4: return i64x2.add(a, b);
    case 0xd5: return i16x8.mul(a, b);
    case 0xd8: return i8x16.sub_sat_u(a, b);
    case 0xd9: return i16x8.sub_sat_u(a, b);
    case 0xda: return i8x16.min_u(a, b);
    case 0xdb: return v128.and(a, b);
    case 0xdc: return i8x16.add_sat_u(a, b);
    case 0xdd: return i16x8.add_sat_u(a, b);
    case 0xde: return i8x16.max_u(a, b);
    case 0xdf: return v128.andnot(b, a);
    case 0xe0: return i8x16.avgr_u(a, b);
    case 0xe3: return i16x8.avgr_u(a, b);
    case 0xe4: return mulHigh(a, b, false);
    case 0xe5: return mulHigh(a, b, true);
    case 0xe8: return i8x16.sub_sat_s(a, b);
    case 0xe9: return i16x8.sub_sat_s(a, b);
    case 0xea: return i16x8.min_s(a, b);
    case 0xeb: return v128.or(a, b);
    case 0xec: return i8x16.add_sat_s(a, b);
    case 0xed: return i16x8.add_sat_s(a, b);
    case 0xee: return i16x8.max_s(a, b);
    case 0xef: return v128.xor(a, b);
    case 0xf4: return i64x2.extmul_low_i32x4_u(i32x4.shuffle(a, a, 0, 2, 1, 3), i32x4.shuffle(b, b, 0, 2, 1, 3));
    case 0xf5: return i32x4.dot_i16x8_s(a, b);
    case 0xf6: return sadBytes(a, b);
    case 0xf8: return i8x16.sub(a, b);
    case 0xf9: return i16x8.sub(a, b);
    case 0xfa: return i32x4.sub(a, b);
    case 0xfb: return i64x2.sub(a, b);
    case 0xfc: return i8x16.add(a, b);
    case 0xfd: return i16x8.add(a, b);
    case 0xfe: return i32x4.add(a, b);
  }
  fault(REASON_UD);
  return a;
}

// pmulhw / pmulhuw: the high 16 bits of each 32-bit product.
function mulHigh(a: v128, b: v128, signed: bool): v128 {
  let lo = signed ? i32x4.extmul_low_i16x8_s(a, b) : i32x4.extmul_low_i16x8_u(a, b);
  let hi = signed ? i32x4.extmul_high_i16x8_s(a, b) : i32x4.extmul_high_i16x8_u(a, b);
  return i16x8.shuffle(lo, hi, 1, 3, 5, 7, 9, 11, 13, 15);
}

// psadbw: sums of absolute byte differences, one per 64-bit half.
export function sadBytes(a: v128, b: v128): v128 {
  let d = i8x16.sub(i8x16.max_u(a, b), i8x16.min_u(a, b));
  let s = i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(d));
  let lo = <u64>(<u32>i32x4.extract_lane(s, 0) + <u32>i32x4.extract_lane(s, 1));
  let hi = <u64>(<u32>i32x4.extract_lane(s, 2) + <u32>i32x4.extract_lane(s, 3));
  return make64(lo, hi);
}

// 0f ae: fxsave fxrstor ldmxcsr stmxcsr (memory forms), fences (register forms).
function group15(): void {
  decodeModrm(0);
  let k = reg & 7;
  if (pfx != PFX_NONE) { fault(REASON_UD); return; } // rdfsbase & co are not advertised
  if (mod == 3) {
    if (k < 5) fault(REASON_UD); // lfence mfence sfence do nothing here
    return;
  }
  switch (k) {
    case 0: fxsave(ea); return;
    case 1: fxrstor(ea); return;
    case 2: {
      let v = rd32(ea);
      if (stopped) return;
      if (v & ~MXCSR_MASK) { fault(REASON_GP); return; }
      setMxcsr(v);
      return;
    }
    case 3: wr32(ea, mxcsr()); return;
    case 7: rd8check(); return; // clflush: a read access check
    default: fault(REASON_UD);
  }
}

function rd8check(): void { rdN(1, ea); }
