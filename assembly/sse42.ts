// SSE4.2: crc32 (f2 0f38 f0/f1) and the string compares pcmpestrm (66 0f3a
// 60), pcmpestri (61), pcmpistrm (62), pcmpistri (63). pcmpgtq is with the
// other packed compares in sse41.ts.
import { mode64, rget, rget32, rget64, rset32, stopped } from "./cpu";
import { decodeModrm, ea, fetch8, mod, opsize, reg, rex, rexPresent, rm } from "./decode";
import { rdN } from "./mem";
import { AF, CF, OF, PF, SF, ZF, getFlags, setFlags } from "./flags";
import { xget, xset, xsrc } from "./sse";

const RAX: u32 = 0, RCX: u32 = 1, RDX: u32 = 2;

// CRC-32C (Castagnoli), reflected: one table entry per byte value.
const CRC_TABLE: usize = memory.data(1024);
let crcReady = false;
function crcInit(): void {
  for (let i: u32 = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = (c >> 1) ^ (0x82f63b78 & (0 - (c & 1)));
    store<u32>(CRC_TABLE + (i << 2), c);
  }
  crcReady = true;
}

// crc32 r32/r64, r/m8 (f0) or r/m16/32/64 (f1): the CRC of the source's
// bytes, least significant first, continued from the destination's low 32 bits.
export function crc32(op: u32): void {
  decodeModrm(0);
  let size: u32 = op == 0xf0 ? 1 : opsize;
  let v = mod == 3 ? rget(size, rm, rexPresent) : rdN(size, ea);
  if (stopped) return;
  if (!crcReady) crcInit();
  let c = rget32(reg);
  for (let i: u32 = 0; i < size; i++) {
    c = load<u32>(CRC_TABLE + (((c ^ <u32>v) & 0xff) << 2)) ^ (c >> 8);
    v >>= 8;
  }
  rset32(reg, c); // the 64-bit form zero-extends the same 32-bit CRC
}

const A: usize = memory.data(16), B: usize = memory.data(16);
let words = false, signed = false;

@inline function elem(p: usize, i: u32): i32 {
  if (words) return signed ? <i32>load<i16>(p + (i << 1)) : <i32>load<u16>(p + (i << 1));
  return signed ? <i32>load<i8>(p + i) : <i32>load<u8>(p + i);
}

// Explicit length: |rax| or |eax| (REX.W), at most n.
function explicitLen(r: u32, n: u32): u32 {
  let v: i64 = mode64 && (rex & 8) != 0 ? <i64>rget64(r) : <i64><i32>rget32(r);
  if (v < 0) v = -v;
  return v < 0 || v > <i64>n ? n : <u32>v; // -(-2^63) stays negative: saturate
}

// Implicit length: the index of the first zero element, or n.
function implicitLen(p: usize, n: u32): u32 {
  for (let i: u32 = 0; i < n; i++) if (elem(p, i) == 0) return i;
  return n;
}

// The comparison of imm8[3:2] for element j of the second operand (B), with
// the SDM's rules for elements past either string's end.
function compare(mode: u32, j: u32, n: u32, la: u32, lb: u32): bool {
  let bj = j < lb ? elem(B, j) : 0;
  switch (mode) {
    case 0: { // equal any
      if (j >= lb) return false;
      for (let i: u32 = 0; i < la; i++) if (elem(A, i) == bj) return true;
      return false;
    }
    case 1: { // ranges: pairs (lo, hi) of A
      if (j >= lb) return false;
      for (let i: u32 = 0; i + 1 < la; i += 2) if (elem(A, i) <= bj && bj <= elem(A, i + 1)) return true;
      return false;
    }
    case 2: // equal each
      if (j >= la || j >= lb) return j >= la && j >= lb;
      return elem(A, j) == bj;
    default: { // equal ordered: A found as a substring at j (A's end matches anything)
      for (let k: u32 = 0; k < n - j; k++) {
        if (k >= la) return true;
        if (j + k >= lb || elem(A, k) != elem(B, j + k)) return false;
      }
      return true;
    }
  }
}

export function pcmpStr(op: u32): void {
  decodeModrm(1);
  let b = xsrc(false); // no alignment rule for these
  let imm = fetch8();
  if (stopped) return;
  v128.store(A, xget(reg));
  v128.store(B, b);
  words = (imm & 1) != 0;
  signed = (imm & 2) != 0;
  let n: u32 = words ? 8 : 16;
  let explicit = op < 0x62;
  let la = explicit ? explicitLen(RAX, n) : implicitLen(A, n);
  let lb = explicit ? explicitLen(RDX, n) : implicitLen(B, n);
  let mode = (imm >> 2) & 3;
  let r: u32 = 0;
  for (let j: u32 = 0; j < n; j++) if (compare(mode, j, n, la, lb)) r |= 1 << j;
  let pol = (imm >> 4) & 3;
  if (pol == 1) r = ~r & ((1 << n) - 1);
  else if (pol == 3) r ^= (1 << lb) - 1;
  if (op & 1) { // index into ecx: least or (imm8[6]) most significant set bit, n if none
    rset32(RCX, r == 0 ? n : (imm & 0x40) != 0 ? 31 - clz<u32>(r) : ctz<u32>(r));
  } else if (imm & 0x40) { // mask into xmm0: elements of all ones
    for (let j: u32 = 0; j < n; j++) {
      let m = (r >> j) & 1 ? 0xffff : 0;
      if (words) store<u16>(A + (j << 1), <u16>m); else store<u8>(A + j, <u8>m);
    }
    xset(0, v128.load(A));
  } else {
    xset(0, i32x4.replace_lane(i64x2.splat(0), 0, r));
  }
  let f = getFlags() & ~(CF | PF | AF | ZF | SF | OF);
  if (r != 0) f |= CF;
  if (lb < n) f |= ZF;
  if (la < n) f |= SF;
  if (r & 1) f |= OF;
  setFlags(f);
}
