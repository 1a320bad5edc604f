// mul, imul (one-, two- and three-operand forms), div and idiv at every size.
// 64-bit operands need 128-bit products and dividends: done in 32-bit halves.
import { CF, OF, setResultFlags, signBit, sizeMask } from "./flags";
import { rget, rset } from "./cpu";
import { REASON_DE } from "./layout";
import { fault } from "./cpu";

const RAX: u32 = 0;
const RDX: u32 = 2;

// High 64 bits of the unsigned 128-bit product a*b.
export function mulhu(a: u64, b: u64): u64 {
  let a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  let p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  let mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

// High 64 bits of the signed 128-bit product.
export function mulhs(a: u64, b: u64): u64 {
  let h = mulhu(a, b);
  if (<i64>a < 0) h -= b;
  if (<i64>b < 0) h -= a;
  return h;
}

@inline function sext(size: u32, v: u64): i64 {
  let s = 64 - (size << 3);
  return (<i64>(v << s)) >> s;
}

// One-operand mul: rdx:rax (or ax for bytes) = rax * src.
export function mul1(size: u32, src: u64): void {
  let m = sizeMask(size);
  let a = rget(size, RAX, false) & m;
  src &= m;
  let lo: u64, hi: u64;
  if (size == 8) { lo = a * src; hi = mulhu(a, src); }
  else { let p = a * src; lo = p & m; hi = (p >> (size << 3)) & m; }
  storeWide(size, lo, hi);
  setResultFlags(size, lo, hi != 0 ? CF | OF : 0);
}

export function imul1(size: u32, src: u64): void {
  let a = sext(size, rget(size, RAX, false));
  let b = sext(size, src);
  let lo: u64, hi: u64;
  if (size == 8) { lo = <u64>(a * b); hi = mulhs(<u64>a, <u64>b); }
  else { let p = a * b; lo = <u64>p & sizeMask(size); hi = <u64>(p >> (size << 3)) & sizeMask(size); }
  let fits = hi == ((lo & signBit(size)) != 0 ? sizeMask(size) : 0);
  storeWide(size, lo, hi);
  setResultFlags(size, lo, fits ? 0 : CF | OF);
}

function storeWide(size: u32, lo: u64, hi: u64): void {
  if (size == 1) rset(2, RAX, (hi << 8) | lo, false);
  else { rset(size, RAX, lo, false); rset(size, RDX, hi, false); }
}

// Two- and three-operand imul: truncated product, CF=OF when it did not fit.
export function imul2(size: u32, a: u64, b: u64): u64 {
  let sa = sext(size, a), sb = sext(size, b);
  let lo = <u64>(sa * sb) & sizeMask(size);
  let fits: bool;
  if (size == 8) {
    let hi = mulhs(<u64>sa, <u64>sb);
    fits = hi == ((<i64>lo < 0) ? 0xffffffffffffffff : 0);
  } else {
    fits = sext(size, lo) == sa * sb;
  }
  setResultFlags(size, lo, fits ? 0 : CF | OF);
  return lo;
}

// Unsigned 128/64 division; sets divQ/divR, false on overflow.
let divQ: u64 = 0;
let divR: u64 = 0;
function udiv128(hi: u64, lo: u64, d: u64): bool {
  if (hi >= d) return false;
  if (hi == 0) { divQ = lo / d; divR = lo % d; return true; }
  let q: u64 = 0;
  for (let i = 0; i < 64; i++) {
    let top = hi >> 63;
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
    q <<= 1;
    if (top || hi >= d) { hi -= d; q |= 1; }
  }
  divQ = q; divR = hi;
  return true;
}

// div: rdx:rax / src. A zero divisor or a quotient that does not fit is #DE.
export function div1(size: u32, src: u64): void {
  let m = sizeMask(size);
  src &= m;
  if (src == 0) { fault(REASON_DE); return; }
  let q: u64, r: u64;
  if (size == 8) {
    if (!udiv128(rget(8, RDX, false), rget(8, RAX, false), src)) { fault(REASON_DE); return; }
    q = divQ; r = divR;
  } else {
    let w = size << 3;
    let n = size == 1 ? rget(2, RAX, false) : (rget(size, RDX, false) << w) | rget(size, RAX, false);
    q = n / src; r = n % src;
    if (q > m) { fault(REASON_DE); return; }
  }
  storeDiv(size, q, r);
}

export function idiv1(size: u32, src: u64): void {
  let d = sext(size, src);
  if (d == 0) { fault(REASON_DE); return; }
  let q: i64, r: i64;
  if (size == 8) {
    let hi = rget(8, RDX, false), lo = rget(8, RAX, false);
    let neg = <i64>hi < 0;
    if (neg) { lo = ~lo + 1; hi = ~hi + (lo == 0 ? 1 : 0); } // negate the 128-bit dividend
    let ad: u64 = d < 0 ? <u64>(-d) : <u64>d;
    if (!udiv128(hi, lo, ad)) { fault(REASON_DE); return; }
    let qneg = neg != (d < 0);
    if (qneg ? divQ > 0x8000000000000000 : divQ > 0x7fffffffffffffff) { fault(REASON_DE); return; }
    q = qneg ? -<i64>divQ : <i64>divQ;
    r = neg ? -<i64>divR : <i64>divR;
  } else {
    let w = size << 3;
    let n: i64 = size == 1 ? sext(2, rget(2, RAX, false))
      : sext(size << 1, (rget(size, RDX, false) << w) | rget(size, RAX, false));
    if (size == 4 && n == i64.MIN_VALUE) { fault(REASON_DE); return; }
    q = n / d; r = n % d;
    let lim = <i64>1 << (w - 1);
    if (q >= lim || q < -lim) { fault(REASON_DE); return; }
  }
  storeDiv(size, <u64>q, <u64>r);
}

function storeDiv(size: u32, q: u64, r: u64): void {
  let m = sizeMask(size);
  if (size == 1) rset(2, RAX, ((r & m) << 8) | (q & m), false);
  else { rset(size, RAX, q & m, false); rset(size, RDX, r & m, false); }
}
