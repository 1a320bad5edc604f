// SSSE3: 0f38 00..0b and 1c..1e, 0f3a 0f (palignr), each in an MMX form (no
// prefix, 64-bit operands) and an XMM form (66). The MMX forms run the XMM
// code on a v128 holding the operands in its low halves.
import { stopped } from "./cpu";
import { decodeModrm, ea, fetch8, mod, reg, rm } from "./decode";
import { rd64 } from "./mem";
import { xget, xset, xsrc } from "./sse";
import { mmGet, mmSet } from "./mmx";
import { mmxEnter } from "./x87";

const ZERO: v128 = i64x2.splat(0);
const WINDOW: usize = memory.data(64); // palignr: src, dest, then zeros

// Is `op` (second byte after 0f 38) an SSSE3 opcode?
export function isSsse3(op: u32): bool { return op <= 0x0b || (op >= 0x1c && op <= 0x1e); }

// The XMM form of op on a (destination) and b (source).
function ssse3Op(op: u32, a: v128, b: v128, mmx: bool): v128 {
  switch (op) {
    case 0x00: // pshufb: a byte with its top bit set selects zero (swizzle does so for >= 16)
      return i8x16.swizzle(a, v128.and(b, i8x16.splat(<i8>(mmx ? 0x87 : 0x8f))));
    case 0x01: case 0x02: case 0x03: case 0x05: case 0x06: case 0x07: return horizontal(op, a, b);
    case 0x04: { // pmaddubsw: unsigned bytes of a times signed bytes of b, pairs added with saturation
      let ae = v128.and(a, i16x8.splat(0xff)), ao = i16x8.shr_u(a, 8);
      let be = i16x8.shr_s(i16x8.shl(b, 8), 8), bo = i16x8.shr_s(b, 8);
      return i16x8.add_sat_s(i16x8.mul(ae, be), i16x8.mul(ao, bo));
    }
    case 0x08: return sign(i8x16.neg(a), a, i8x16.lt_s(b, ZERO), i8x16.eq(b, ZERO));
    case 0x09: return sign(i16x8.neg(a), a, i16x8.lt_s(b, ZERO), i16x8.eq(b, ZERO));
    case 0x0a: return sign(i32x4.neg(a), a, i32x4.lt_s(b, ZERO), i32x4.eq(b, ZERO));
    case 0x0b: { // pmulhrsw: (a*b + 0x4000) >> 15, wrapping where Wasm saturates (-1 * -1 in Q15)
      let r = i16x8.q15mulr_sat_s(a, b);
      let min = i16x8.splat(-32768);
      return v128.xor(r, v128.and(i16x8.eq(a, min), i16x8.eq(b, min)));
    }
    case 0x1c: return i8x16.abs(b);
    case 0x1d: return i16x8.abs(b);
    default: return i32x4.abs(b);
  }
}

@inline function sign(neg: v128, a: v128, isNeg: v128, isZero: v128): v128 {
  return v128.andnot(v128.bitselect(neg, a, isNeg), isZero);
}

// phaddw/d, phaddsw, phsubw/d, phsubsw: pairs of a, then pairs of b.
function horizontal(op: u32, a: v128, b: v128): v128 {
  if (op == 0x02 || op == 0x06) {
    let e = i32x4.shuffle(a, b, 0, 2, 4, 6), o = i32x4.shuffle(a, b, 1, 3, 5, 7);
    return op == 0x02 ? i32x4.add(e, o) : i32x4.sub(e, o);
  }
  let e = i16x8.shuffle(a, b, 0, 2, 4, 6, 8, 10, 12, 14), o = i16x8.shuffle(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
  switch (op) {
    case 0x01: return i16x8.add(e, o);
    case 0x03: return i16x8.add_sat_s(e, o);
    case 0x05: return i16x8.sub(e, o);
    default: return i16x8.sub_sat_s(e, o);
  }
}

@inline function v(x: u64): v128 { return i64x2.replace_lane(ZERO, 0, x); }

// 0f38 op (mmx: no prefix) / 66 0f38 op.
export function ssse3(op: u32, mmx: bool): void {
  decodeModrm(0);
  if (mmx) {
    let b = mod == 3 ? mmGet(rm) : rd64(ea);
    if (stopped) return;
    mmxEnter();
    let a = mmGet(reg);
    // Horizontal forms take the pairs of a then of b: both in one register.
    let r = (op >= 0x01 && op <= 0x07 && op != 0x04) ? ssse3Op(op, i64x2.replace_lane(v(a), 1, b), ZERO, true)
      : ssse3Op(op, v(a), v(b), true);
    mmSet(reg, i64x2.extract_lane(r, 0));
    return;
  }
  let b = xsrc(true);
  if (stopped) return;
  xset(reg, ssse3Op(op, xget(reg), b, false));
}

// palignr: the byte window [dest:src] shifted right by imm8 bytes.
export function palignr(mmx: bool): void {
  decodeModrm(1);
  let w: usize = mmx ? 8 : 16;
  let lo: v128, hi: v128;
  if (mmx) {
    let b = mod == 3 ? mmGet(rm) : rd64(ea);
    if (stopped) return;
    mmxEnter();
    lo = v(b); hi = v(mmGet(reg));
  } else {
    lo = xsrc(true);
    if (stopped) return;
    hi = xget(reg);
  }
  let n = <usize>fetch8();
  v128.store(WINDOW, lo);
  v128.store(WINDOW + w, hi);
  v128.store(WINDOW + 2 * w, ZERO);
  if (mmx) v128.store(WINDOW + 32, ZERO);
  let r = n >= 2 * w ? ZERO : v128.load(WINDOW + n);
  if (mmx) mmSet(reg, i64x2.extract_lane(r, 0)); else xset(reg, r);
}
