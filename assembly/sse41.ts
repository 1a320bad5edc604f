// SSE4.1 integer instructions (66 0f38 and 66 0f3a): blends, ptest, pmovsx /
// pmovzx, the new packed multiplies, compares, min/max and packs, phminposuw,
// element extracts (extractps too) and inserts, mpsadbw, movntdqa; and
// SSE4.2's pcmpgtq. round, dpps/dppd and insertps are in sse41fp.ts.
import { REASON_UD } from "./layout";
import { fault, invalidOpcode, mode64, rget64, rset32, rset64, stopped } from "./cpu";
import { decodeModrm, ea, fetch8, mod, reg, rex, rm } from "./decode";
import { rd128, rdN, wrN } from "./mem";
import { AF, CF, OF, PF, SF, ZF, getFlags, setFlags } from "./flags";
import { xget, xmmAddr, xset, xsrc } from "./sse";

const ZERO: v128 = i64x2.splat(0);
const LANES: usize = memory.data(48);

// 66 0f38 op with a 128-bit source: the packed binary operations.
export function packed38(op: u32, a: v128, b: v128): v128 {
  switch (op) {
    case 0x28: return i64x2.extmul_low_i32x4_s(i32x4.shuffle(a, a, 0, 2, 1, 3), i32x4.shuffle(b, b, 0, 2, 1, 3)); // pmuldq
    case 0x29: return i64x2.eq(a, b); // pcmpeqq
    case 0x2b: return i16x8.narrow_i32x4_u(a, b); // packusdw
    case 0x37: return i64x2.gt_s(a, b); // pcmpgtq (SSE4.2)
    case 0x38: return i8x16.min_s(a, b);
    case 0x39: return i32x4.min_s(a, b);
    case 0x3a: return i16x8.min_u(a, b);
    case 0x3b: return i32x4.min_u(a, b);
    case 0x3c: return i8x16.max_s(a, b);
    case 0x3d: return i32x4.max_s(a, b);
    case 0x3e: return i16x8.max_u(a, b);
    case 0x3f: return i32x4.max_u(a, b);
    case 0x40: return i32x4.mul(a, b); // pmulld
    case 0x10: return v128.bitselect(b, a, i8x16.shr_s(xget(0), 7)); // pblendvb
    case 0x14: return v128.bitselect(b, a, i32x4.shr_s(xget(0), 31)); // blendvps
    case 0x15: return v128.bitselect(b, a, i64x2.shr_s(xget(0), 63)); // blendvpd
    default: return phminposuw(b); // 0x41
  }
}

export function isPacked38(op: u32): bool {
  return op == 0x10 || op == 0x14 || op == 0x15 || op == 0x28 || op == 0x29 || op == 0x2b ||
    (op >= 0x37 && op <= 0x41);
}

// phminposuw: the smallest unsigned word and its (lowest) index.
function phminposuw(b: v128): v128 {
  v128.store(LANES, b);
  let min: u32 = 0xffff + 1, at: u32 = 0;
  for (let i: u32 = 0; i < 8; i++) {
    let w = <u32>load<u16>(LANES + (i << 1));
    if (w < min) { min = w; at = i; }
  }
  return i32x4.replace_lane(ZERO, 0, min | (at << 16));
}

// 66 0f38 op: everything of SSE4.1 there.
export function sse41Op38(op: u32): void {
  decodeModrm(0);
  if (isPacked38(op)) {
    let b = xsrc(true);
    if (!stopped) xset(reg, packed38(op, xget(reg), b));
    return;
  }
  if ((op >= 0x20 && op <= 0x25) || (op >= 0x30 && op <= 0x35)) { extend(op); return; }
  if (op == 0x17) { // ptest
    let b = xsrc(true);
    if (stopped) return;
    let a = xget(reg);
    let f = getFlags() & ~(CF | PF | AF | ZF | SF | OF);
    if (!v128.any_true(v128.and(a, b))) f |= ZF;
    if (!v128.any_true(v128.andnot(b, a))) f |= CF;
    setFlags(f);
    return;
  }
  if (op == 0x2a) { // movntdqa: memory only
    if (mod == 3) { invalidOpcode(); return; }
    let v = xsrc(true);
    if (!stopped) xset(reg, v);
    return;
  }
  fault(REASON_UD);
}

// pmovsx (20..25) / pmovzx (30..35): bw bd bq wd wq dq, reading only the
// source elements they use (8, 4 or 2 bytes of memory).
function extend(op: u32): void {
  let k = op & 7;
  let bytes: u32 = k == 0 || k == 3 || k == 5 ? 8 : k == 1 || k == 4 ? 4 : 2;
  let x: v128;
  if (mod == 3) x = xget(rm);
  else {
    let m = rdN(bytes, ea);
    if (stopped) return;
    x = i64x2.replace_lane(ZERO, 0, m);
  }
  let s = op < 0x30;
  let r: v128;
  switch (k) {
    case 0: r = s ? i16x8.extend_low_i8x16_s(x) : i16x8.extend_low_i8x16_u(x); break;
    case 1: r = s ? i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(x)) : i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(x)); break;
    case 2: r = s ? i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(x)))
      : i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(x))); break;
    case 3: r = s ? i32x4.extend_low_i16x8_s(x) : i32x4.extend_low_i16x8_u(x); break;
    case 4: r = s ? i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(x)) : i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(x)); break;
    default: r = s ? i64x2.extend_low_i32x4_s(x) : i64x2.extend_low_i32x4_u(x); break;
  }
  xset(reg, r);
}

// Lane mask from imm8 bits: element i of `lanes` elements is all ones when bit i is set.
function immMask(imm: u32, lanes: u32): v128 {
  let size: usize = 16 / lanes;
  for (let i: u32 = 0; i < lanes; i++) {
    let m: u64 = ((imm >> i) & 1) != 0 ? 0xffffffffffffffff : 0;
    if (size == 2) store<u16>(LANES + i * 2, <u16>m);
    else if (size == 4) store<u32>(LANES + i * 4, <u32>m);
    else store<u64>(LANES + i * 8, m);
  }
  return v128.load(LANES);
}

// 66 0f3a op (with imm8) for the integer forms: blendps/pd, pblendw, pextr*,
// extractps, pinsr*, mpsadbw. Returns false when op is not one of them.
export function sse41Op3a(op: u32): bool {
  switch (op) {
    case 0x0c: case 0x0d: case 0x0e: { // blendps blendpd pblendw
      decodeModrm(1);
      let b = xsrc(true);
      let imm = fetch8();
      if (stopped) return true;
      let m = immMask(imm, op == 0x0c ? 4 : op == 0x0d ? 2 : 8);
      xset(reg, v128.bitselect(b, xget(reg), m));
      return true;
    }
    case 0x14: case 0x15: case 0x16: case 0x17: { // pextrb pextrw pextrd/q extractps
      decodeModrm(1);
      let imm = fetch8();
      let q = op == 0x16 && mode64 && (rex & 8) != 0;
      let size: u32 = op == 0x14 ? 1 : op == 0x15 ? 2 : q ? 8 : 4;
      let i: u32 = (imm & (16 / size - 1)) * size;
      let v = load<u64>(xmmAddr(reg) + i);
      if (size < 8) v &= (<u64>1 << (size << 3)) - 1;
      if (mod != 3) wrN(size, ea, v);
      else if (q) rset64(rm, v);
      else rset32(rm, <u32>v); // zero-extended to 64 bits
      return true;
    }
    case 0x20: case 0x22: { // pinsrb pinsrd/q
      decodeModrm(1);
      let q = op == 0x22 && mode64 && (rex & 8) != 0;
      let size: u32 = op == 0x20 ? 1 : q ? 8 : 4;
      let v = mod == 3 ? rget64(rm) : rdN(size, ea);
      let imm = fetch8();
      if (stopped) return true;
      let at = xmmAddr(reg) + (imm & (16 / size - 1)) * size;
      if (size == 1) store<u8>(at, <u8>v); else if (size == 4) store<u32>(at, <u32>v); else store<u64>(at, v);
      return true;
    }
    case 0x42: { // mpsadbw: eight sums of absolute differences of 4-byte windows
      decodeModrm(1);
      let b = xsrc(true);
      let imm = fetch8();
      if (stopped) return true;
      v128.store(LANES, xget(reg));
      v128.store(LANES + 16, b);
      let ao: usize = ((imm >> 2) & 1) * 4, bo: usize = (imm & 3) * 4;
      for (let i: usize = 0; i < 8; i++) {
        let s: i32 = 0;
        for (let j: usize = 0; j < 4; j++) {
          s += abs<i32>(<i32>load<u8>(LANES + ao + i + j) - <i32>load<u8>(LANES + 16 + bo + j));
        }
        store<u16>(LANES + 32 + i * 2, <u16>s);
      }
      xset(reg, v128.load(LANES + 32));
      return true;
    }
  }
  return false;
}
