// Binary floating point in software, exactly rounded: the arithmetic under
// both the x87 (80-bit, with its precision control) and SSE (32/64-bit).
// Values are unpacked into sign, class, unbiased exponent and a 64-bit
// significand whose top bit is the integer bit; results are computed with
// 128 bits plus a sticky bit and rounded once, with the IEEE exception flags
// x86 reports (tininess is detected after rounding, as Intel does).
// No allocation: operands and results are module globals (A, B, R).

export const CLS_ZERO: u32 = 0, CLS_NORMAL: u32 = 1, CLS_INF: u32 = 2, CLS_NAN: u32 = 3;

// Exception flags, at their MXCSR / x87 status-word bit positions.
export const EX_I: u32 = 1, EX_D: u32 = 2, EX_Z: u32 = 4, EX_O: u32 = 8, EX_U: u32 = 16, EX_P: u32 = 32;

// Rounding control values (x87 RC and MXCSR RC).
export const RC_NEAREST: u32 = 0, RC_DOWN: u32 = 1, RC_UP: u32 = 2, RC_ZERO: u32 = 3;

// Formats: significand bits and exponent range. x87 precision control
// rounds to 24 or 53 bits but keeps the extended exponent range.
export const F32_EMIN: i32 = -126, F32_EMAX: i32 = 127;
export const F64_EMIN: i32 = -1022, F64_EMAX: i32 = 1023;
export const F80_EMIN: i32 = -16382, F80_EMAX: i32 = 16383;

export const QNAN_BIT: u64 = 0x4000000000000000;
export const INT_BIT: u64 = 0x8000000000000000;
export const INDEFINITE_SIG: u64 = 0xc000000000000000;

// Controls of the current operation.
export let rc: u32 = RC_NEAREST;
export let daz: bool = false; // SSE: denormal inputs read as zero
export let ftz: bool = false; // SSE: tiny results flush to zero (underflow masked)
export let exc: u32 = 0; // flags raised since the caller cleared it
export let roundedUp: bool = false; // the last rounding increased the magnitude (x87 C1)

export function setControls(mode: u32, denormalsAreZero: bool, flushToZero: bool): void {
  rc = mode; daz = denormalsAreZero; ftz = flushToZero; exc = 0; roundedUp = false;
}
export function clearExc(): void { exc = 0; roundedUp = false; }
export function raise(f: u32): void { exc |= f; }
export function dropExc(f: u32): void { exc &= ~f; }

// Operands and result.
export let aS: u32 = 0, aC: u32 = 0, aE: i32 = 0, aM: u64 = 0;
export let bS: u32 = 0, bC: u32 = 0, bE: i32 = 0, bM: u64 = 0;
export let rS: u32 = 0, rC: u32 = 0, rE: i32 = 0, rM: u64 = 0;

export function setA(s: u32, c: u32, e: i32, m: u64): void { aS = s; aC = c; aE = e; aM = m; }
export function setB(s: u32, c: u32, e: i32, m: u64): void { bS = s; bC = c; bE = e; bM = m; }
export function setR(s: u32, c: u32, e: i32, m: u64): void { rS = s; rC = c; rE = e; rM = m; }
export function rToA(): void { aS = rS; aC = rC; aE = rE; aM = rM; }
export function rToB(): void { bS = rS; bC = rC; bE = rE; bM = rM; }
export function aToR(): void { rS = aS; rC = aC; rE = aE; rM = aM; }
export function bToR(): void { rS = bS; rC = bC; rE = bE; rM = bM; }
export function swapAB(): void {
  let s = aS, c = aC, e = aE, m = aM;
  aS = bS; aC = bC; aE = bE; aM = bM;
  bS = s; bC = c; bE = e; bM = m;
}

@inline export function isSignaling(c: u32, m: u64): bool { return c == CLS_NAN && (m & QNAN_BIT) == 0; }

// ---- unpacking (into R) ----------------------------------------------------

// A denormal input raises D, or reads as zero under DAZ (SSE only).
function subnormal(sign: u32, frac: u64, emin: i32, fracBits: i32): void {
  if (daz) { setR(sign, CLS_ZERO, 0, 0); return; }
  exc |= EX_D;
  let z = <i32>clz<u64>(frac);
  setR(sign, CLS_NORMAL, emin - (z - (63 - fracBits)), frac << <u64>z);
}

export function unpack32(v: u32): void {
  let s = v >> 31, e = <i32>((v >> 23) & 0xff), f = <u64>(v & 0x7fffff);
  if (e == 0xff) setR(s, f == 0 ? CLS_INF : CLS_NAN, 0, INT_BIT | (f << 40));
  else if (e == 0) { if (f == 0) setR(s, CLS_ZERO, 0, 0); else subnormal(s, f, F32_EMIN, 23); }
  else setR(s, CLS_NORMAL, e - 127, INT_BIT | (f << 40));
}

export function unpack64(v: u64): void {
  let s = <u32>(v >> 63), e = <i32>((v >> 52) & 0x7ff), f = v & 0xfffffffffffff;
  if (e == 0x7ff) setR(s, f == 0 ? CLS_INF : CLS_NAN, 0, INT_BIT | (f << 11));
  else if (e == 0) { if (f == 0) setR(s, CLS_ZERO, 0, 0); else subnormal(s, f, F64_EMIN, 52); }
  else setR(s, CLS_NORMAL, e - 1023, INT_BIT | (f << 11));
}

// 80-bit: `se` is the sign and exponent word. Unnormals and pseudo-NaN/infinity
// (integer bit clear with a nonzero exponent) are invalid operands: they read as
// a signaling NaN so that arithmetic raises I and yields the indefinite.
export function unpack80(m: u64, se: u32): void {
  let s = (se >> 15) & 1, e = <i32>(se & 0x7fff);
  if (e == 0x7fff) {
    if ((m & INT_BIT) == 0) setR(s, CLS_NAN, 0, 1); // pseudo-NaN / pseudo-infinity
    else setR(s, (m << 1) == 0 ? CLS_INF : CLS_NAN, 0, m);
  } else if (e == 0) {
    if (m == 0) setR(s, CLS_ZERO, 0, 0);
    else { exc |= EX_D; let z = <i32>clz<u64>(m); setR(s, CLS_NORMAL, F80_EMIN - z, m << <u64>z); }
  } else if ((m & INT_BIT) == 0) setR(s, CLS_NAN, 0, 1); // unnormal
  else setR(s, CLS_NORMAL, e - 16383, m);
}

// ---- packing (from R) --------------------------------------------------------

export function pack32(): u32 {
  let s = rS << 31;
  if (rC == CLS_ZERO) return s;
  if (rC == CLS_INF) return s | 0x7f800000;
  if (rC == CLS_NAN) return s | 0x7f800000 | <u32>((rM >> 40) & 0x7fffff);
  if (rE < F32_EMIN) return s | <u32>(rM >> <u64>(40 + F32_EMIN - rE));
  return s | (<u32>(rE + 127) << 23) | <u32>((rM >> 40) & 0x7fffff);
}

export function pack64(): u64 {
  let s = <u64>rS << 63;
  if (rC == CLS_ZERO) return s;
  if (rC == CLS_INF) return s | 0x7ff0000000000000;
  if (rC == CLS_NAN) return s | 0x7ff0000000000000 | ((rM >> 11) & 0xfffffffffffff);
  if (rE < F64_EMIN) return s | (rM >> <u64>(11 + F64_EMIN - rE));
  return s | (<u64>(rE + 1023) << 52) | ((rM >> 11) & 0xfffffffffffff);
}

// 80-bit: significand in packedMant, sign and exponent returned.
export let packedMant: u64 = 0;
export function pack80(): u32 {
  let s = rS << 15;
  if (rC == CLS_ZERO) { packedMant = 0; return s; }
  if (rC == CLS_INF) { packedMant = INT_BIT; return s | 0x7fff; }
  if (rC == CLS_NAN) { packedMant = rM; return s | 0x7fff; }
  if (rE < F80_EMIN) { packedMant = rM >> <u64>(F80_EMIN - rE); return s; }
  packedMant = rM;
  return s | <u32>(rE + 16383);
}

// ---- NaNs --------------------------------------------------------------------

export function defaultNaN(): void { setR(1, CLS_NAN, 0, INDEFINITE_SIG); }

// SSE: the first NaN operand, quieted; I if either is signaling.
export function nanFirst(): void {
  if (isSignaling(aC, aM) || isSignaling(bC, bM)) exc |= EX_I;
  if (aC == CLS_NAN) aToR(); else bToR();
  rM |= QNAN_BIT;
}

// x87: a QNaN over an SNaN, else the larger significand; quieted.
export function nanLarger(): void {
  let aSig = isSignaling(aC, aM), bSig = isSignaling(bC, bM);
  if (aSig || bSig) exc |= EX_I;
  if (aC != CLS_NAN) bToR();
  else if (bC != CLS_NAN) aToR();
  else if (aSig != bSig) { if (aSig) bToR(); else aToR(); }
  else if (aM > bM) aToR();
  else if (bM > aM) bToR();
  else if (aS <= bS) aToR(); else bToR();
  rM |= QNAN_BIT;
}

// Which NaN rule binary operations use: false for SSE, true for x87.
export let x87Nans: bool = false;
export function setX87Nans(v: bool): void { x87Nans = v; }
@inline function propagateNaN(): void { if (x87Nans) nanLarger(); else nanFirst(); }

// A NaN in R is quieted, raising I if it was signaling (format conversions).
export function quietR(): void {
  if (rC != CLS_NAN) return;
  if ((rM & QNAN_BIT) == 0) exc |= EX_I;
  rM |= QNAN_BIT;
}

// ---- 128-bit helpers ------------------------------------------------------------

export let hi128: u64 = 0, lo128: u64 = 0;

export function mul64(a: u64, b: u64): void {
  let a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  let p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  let mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  lo128 = (mid << 32) | (p00 & 0xffffffff);
  hi128 = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

// (nhi:nlo) / d with nhi < d: quotient returned, remainder in rem128.
export let rem128: u64 = 0;
export function udiv128(nhi: u64, nlo: u64, d: u64): u64 {
  let r = nhi, q: u64 = 0;
  for (let i = 0; i < 64; i++) {
    let top = r >> 63;
    r = (r << 1) | (nlo >> 63);
    nlo <<= 1;
    q <<= 1;
    if (top != 0 || r >= d) { r -= d; q |= 1; }
  }
  rem128 = r;
  return q;
}

// ---- rounding ------------------------------------------------------------------

// Round sign × (hi:lo as 0.128 bits, hi's top bit set) × 2^(exp+1) to `prec`
// significand bits in [emin, emax]; the result goes to R.
export function roundPack(sign: u32, exp: i32, hi: u64, lo: u64, prec: i32, emin: i32, emax: i32): void {
  roundedUp = false;
  // Tininess after rounding: would rounding to prec bits with an unbounded
  // exponent still give a value below 2^emin?
  let denormal = exp < emin;
  let tiny = denormal && !(exp == emin - 1 && roundsToCarry(sign, hi, lo, prec));
  let k = denormal ? prec - (emin - exp) : prec; // significant bits kept
  let unit = (denormal ? emin : exp) - prec + 1; // exponent of the kept value's last bit
  let kept: u64, guard: bool, sticky: bool;
  if (k >= 64) {
    kept = hi; guard = (lo >> 63) != 0; sticky = (lo << 1) != 0;
  } else if (k > 0) {
    let drop = <u64>(64 - k);
    kept = hi >> drop;
    let rest = hi & ((<u64>1 << drop) - 1);
    let half = <u64>1 << (drop - 1);
    guard = (rest & half) != 0; sticky = (rest & (half - 1)) != 0 || lo != 0;
  } else {
    kept = 0;
    guard = k == 0 && (hi >> 63) != 0;
    sticky = k == 0 ? ((hi << 1) != 0 || lo != 0) : (hi != 0 || lo != 0);
  }
  // Flush-to-zero (SSE, underflow masked) replaces any tiny result, exact or not.
  if (tiny && ftz) { exc |= EX_U | EX_P; setR(sign, CLS_ZERO, 0, 0); return; }
  let inexact = guard || sticky;
  if (inexact) {
    exc |= EX_P;
    if (tiny) exc |= EX_U;
    if (roundUp(sign, guard, sticky, (kept & 1) != 0)) {
      kept++; roundedUp = true;
      if (kept == 0) { kept = INT_BIT; unit++; } // 64 ones carried out
    }
  }
  if (kept == 0) { setR(sign, CLS_ZERO, 0, 0); return; }
  let z = <i32>clz<u64>(kept);
  let e = unit + 63 - z;
  if (e > emax) { overflow(sign, prec, emax); return; }
  setR(sign, CLS_NORMAL, e, kept << <u64>z);
}

function roundUp(sign: u32, guard: bool, sticky: bool, odd: bool): bool {
  switch (rc) {
    case RC_NEAREST: return guard && (sticky || odd);
    case RC_DOWN: return sign != 0;
    case RC_UP: return sign == 0;
    default: return false;
  }
}

function roundsToCarry(sign: u32, hi: u64, lo: u64, prec: i32): bool {
  let ones: u64 = prec >= 64 ? 0xffffffffffffffff : ((<u64>1 << <u64>prec) - 1) << <u64>(64 - prec);
  if ((hi & ones) != ones) return false;
  let guard: bool, sticky: bool;
  if (prec >= 64) { guard = (lo >> 63) != 0; sticky = (lo << 1) != 0; }
  else {
    let drop = <u64>(64 - prec);
    let rest = hi & ((<u64>1 << drop) - 1), half = <u64>1 << (drop - 1);
    guard = (rest & half) != 0; sticky = (rest & (half - 1)) != 0 || lo != 0;
  }
  return (guard || sticky) && roundUp(sign, guard, sticky, true);
}

function overflow(sign: u32, prec: i32, emax: i32): void {
  exc |= EX_O | EX_P;
  let toInf = rc == RC_NEAREST || (rc == RC_UP && sign == 0) || (rc == RC_DOWN && sign != 0);
  if (toInf) { setR(sign, CLS_INF, 0, INT_BIT); roundedUp = true; return; }
  let m: u64 = prec >= 64 ? 0xffffffffffffffff : ((<u64>1 << <u64>prec) - 1) << <u64>(64 - prec);
  setR(sign, CLS_NORMAL, emax, m);
}

// Round R (any precision) to the given format, in place.
export function roundR(prec: i32, emin: i32, emax: i32): void {
  if (rC != CLS_NORMAL) return;
  roundPack(rS, rE, rM, 0, prec, emin, emax);
}

// ---- arithmetic: A op B → R, rounded ---------------------------------------------

export function fadd(negateB: bool, prec: i32, emin: i32, emax: i32): void {
  let bs = bS ^ (negateB ? 1 : 0);
  if (aC == CLS_NAN || bC == CLS_NAN) { propagateNaN(); return; }
  if (aC == CLS_INF) {
    if (bC == CLS_INF && aS != bs) { exc |= EX_I; defaultNaN(); return; }
    aToR(); return;
  }
  if (bC == CLS_INF) { setR(bs, CLS_INF, 0, INT_BIT); return; }
  if (aC == CLS_ZERO && bC == CLS_ZERO) {
    setR(aS == bs ? aS : (rc == RC_DOWN ? 1 : 0), CLS_ZERO, 0, 0); return;
  }
  if (bC == CLS_ZERO) { roundPack(aS, aE, aM, 0, prec, emin, emax); return; }
  if (aC == CLS_ZERO) { roundPack(bs, bE, bM, 0, prec, emin, emax); return; }
  // x = larger exponent operand
  let xs = aS, xe = aE, xm = aM, ys = bs, ye = bE, ym = bM;
  if (ye > xe || (ye == xe && ym > xm)) { xs = bs; xe = bE; xm = bM; ys = aS; ye = aE; ym = aM; }
  let d = xe - ye;
  // y aligned into 128 bits (yh:yl), with a sticky bit for what falls off
  let yh: u64 = 0, yl: u64 = 0;
  if (d == 0) { yh = ym; }
  else if (d < 64) { yh = ym >> <u64>d; yl = ym << <u64>(64 - d); }
  else if (d < 128) { yl = ym >> <u64>(d - 64); if (d > 64 && (ym << <u64>(128 - d)) != 0) yl |= 1; }
  else yl = 1;
  if (xs == ys) {
    let lo = yl, hi = xm + yh;
    let carry = hi < xm;
    if (carry) {
      lo = (lo >> 1) | (hi << 63) | (lo & 1);
      hi = (hi >> 1) | INT_BIT;
      xe++;
    }
    roundPack(xs, xe, hi, lo, prec, emin, emax);
    return;
  }
  // subtraction: |x| >= |y|
  let lo = <u64>0 - yl;
  let hi = xm - yh - (yl != 0 ? 1 : 0);
  if (hi == 0 && lo == 0) { setR(rc == RC_DOWN ? 1 : 0, CLS_ZERO, 0, 0); return; }
  let z: i32 = hi != 0 ? <i32>clz<u64>(hi) : 64 + <i32>clz<u64>(lo);
  if (z >= 64) { hi = lo << <u64>(z - 64); lo = 0; }
  else if (z > 0) { hi = (hi << <u64>z) | (lo >> <u64>(64 - z)); lo <<= <u64>z; }
  roundPack(xs, xe - z, hi, lo, prec, emin, emax);
}

export function fmul(prec: i32, emin: i32, emax: i32): void {
  let s = aS ^ bS;
  if (aC == CLS_NAN || bC == CLS_NAN) { propagateNaN(); return; }
  if (aC == CLS_INF || bC == CLS_INF) {
    if (aC == CLS_ZERO || bC == CLS_ZERO) { exc |= EX_I; defaultNaN(); return; }
    setR(s, CLS_INF, 0, INT_BIT); return;
  }
  if (aC == CLS_ZERO || bC == CLS_ZERO) { setR(s, CLS_ZERO, 0, 0); return; }
  mul64(aM, bM);
  let e = aE + bE;
  let hi = hi128, lo = lo128;
  if ((hi >> 63) != 0) e++;
  else { hi = (hi << 1) | (lo >> 63); lo <<= 1; }
  roundPack(s, e, hi, lo, prec, emin, emax);
}

export function fdiv(prec: i32, emin: i32, emax: i32): void {
  let s = aS ^ bS;
  if (aC == CLS_NAN || bC == CLS_NAN) { propagateNaN(); return; }
  if (aC == CLS_INF) {
    if (bC == CLS_INF) { exc |= EX_I; defaultNaN(); return; }
    setR(s, CLS_INF, 0, INT_BIT); return;
  }
  if (bC == CLS_INF) { setR(s, CLS_ZERO, 0, 0); return; }
  if (bC == CLS_ZERO) {
    if (aC == CLS_ZERO) { exc |= EX_I; defaultNaN(); return; }
    exc |= EX_Z; setR(s, CLS_INF, 0, INT_BIT); return;
  }
  if (aC == CLS_ZERO) { setR(s, CLS_ZERO, 0, 0); return; }
  let e = aE - bE;
  let q: u64;
  if (aM >= bM) q = udiv128(aM >> 1, aM << 63, bM);
  else { q = udiv128(aM, 0, bM); e--; }
  roundPack(s, e, q, remainderBits(rem128, bM), prec, emin, emax);
}

// Round and sticky bits below a quotient from its remainder r < d.
function remainderBits(r: u64, d: u64): u64 {
  if (r == 0) return 0;
  let other = d - r;
  return r > other ? 0xc000000000000000 : r == other ? INT_BIT : 0x4000000000000000;
}

export function fsqrt(prec: i32, emin: i32, emax: i32): void {
  if (aC == CLS_NAN) { if (isSignaling(aC, aM)) exc |= EX_I; aToR(); rM |= QNAN_BIT; return; }
  if (aC == CLS_ZERO) { aToR(); return; }
  if (aS != 0) { exc |= EX_I; defaultNaN(); return; }
  if (aC == CLS_INF) { aToR(); return; }
  // N = aM × 2^63 (even exponent) or aM × 2^64 (odd): its root is in [2^63, 2^64).
  let odd = (aE & 1) != 0;
  let nhi = odd ? aM : aM >> 1, nlo = odd ? <u64>0 : aM << 63;
  let est = Math.sqrt(<f64>aM) * (odd ? 4294967296.0 : 3037000499.97605); // ×2^32 or ×2^31.5
  let y: u64 = est >= 18446744073709549568.0 ? 0xfffffffffffff800 : <u64>est;
  if (y < INT_BIT) y = INT_BIT;
  if (nhi < y) {
    let q = udiv128(nhi, nlo, y);
    y = (y >> 1) + (q >> 1) + (y & q & 1);
    if (y < INT_BIT) y = INT_BIT;
  }
  while (squareAbove(y, nhi, nlo)) y--;
  while (y != 0xffffffffffffffff && !squareAbove(y + 1, nhi, nlo)) y++;
  mul64(y, y);
  let rlo = nlo - lo128;
  let rhi = nhi - hi128 - (nlo < lo128 ? 1 : 0);
  let bits: u64 = 0;
  if (rhi != 0 || rlo != 0) bits = rhi != 0 || rlo > y ? 0xc000000000000000 : 0x4000000000000000;
  roundPack(0, aE >> 1, y, bits, prec, emin, emax);
}

// y² > nhi:nlo ?
function squareAbove(y: u64, nhi: u64, nlo: u64): bool {
  mul64(y, y);
  return hi128 > nhi || (hi128 == nhi && lo128 > nlo);
}

// Compare A with B: 0 less, 1 equal, 2 greater, 3 unordered. Signaling NaNs
// (and, if `quietInvalid`, quiet ones too) raise I.
export const CMP_LT: u32 = 0, CMP_EQ: u32 = 1, CMP_GT: u32 = 2, CMP_UN: u32 = 3;
export function fcompare(quietInvalid: bool): u32 {
  if (aC == CLS_NAN || bC == CLS_NAN) {
    if (quietInvalid || isSignaling(aC, aM) || isSignaling(bC, bM)) exc |= EX_I;
    return CMP_UN;
  }
  if (aC == CLS_ZERO && bC == CLS_ZERO) return CMP_EQ;
  if (aS != bS) return aS != 0 ? CMP_LT : CMP_GT;
  let mag: i32; // |a| vs |b|
  if (aC == bC && aC == CLS_INF) mag = 0;
  else if (aC == CLS_INF || bC == CLS_ZERO) mag = 1;
  else if (bC == CLS_INF || aC == CLS_ZERO) mag = -1;
  else if (aE != bE) mag = aE > bE ? 1 : -1;
  else mag = aM > bM ? 1 : aM < bM ? -1 : 0;
  if (mag == 0) return CMP_EQ;
  if (aS != 0) mag = -mag;
  return mag > 0 ? CMP_GT : CMP_LT;
}

// ---- integers ---------------------------------------------------------------------

// A signed 64-bit integer into R, rounded to the format.
export function fromInt(v: i64, prec: i32, emin: i32, emax: i32): void {
  if (v == 0) { setR(0, CLS_ZERO, 0, 0); return; }
  let s: u32 = v < 0 ? 1 : 0;
  let m: u64 = v < 0 ? <u64>0 - <u64>v : <u64>v;
  let z = <u64>clz<u64>(m);
  roundPack(s, 63 - <i32>z, m << z, 0, prec, emin, emax);
}

// A rounded to an integer (by `mode`) as a magnitude; false if it is 2^64 or more.
export let intMag: u64 = 0;
function roundToMag(mode: u32): bool {
  let saved = rc;
  rc = mode;
  let ok = true;
  if (aC == CLS_ZERO) intMag = 0;
  else if (aE >= 64) ok = false;
  else if (aE == 63) intMag = aM;
  else {
    let kept: u64, guard: bool, sticky: bool;
    if (aE >= 0) {
      let drop = <u64>(63 - aE);
      kept = aM >> drop;
      let rest = aM & ((<u64>1 << drop) - 1), half = <u64>1 << (drop - 1);
      guard = (rest & half) != 0; sticky = (rest & (half - 1)) != 0;
    } else {
      kept = 0; guard = aE == -1; sticky = aE == -1 ? (aM << 1) != 0 : true;
    }
    if (guard || sticky) {
      exc |= EX_P;
      if (roundUp(aS, guard, sticky, (kept & 1) != 0)) { kept++; roundedUp = true; }
    }
    intMag = kept;
  }
  rc = saved;
  return ok;
}

// A converted to a signed integer of `bits` (16, 32, 64). Out of range or
// NaN: I and the integer indefinite (the most negative value).
export function toInt(bits: i32, mode: u32): i64 {
  let indefinite: i64 = <i64>(<u64>1 << <u64>(bits - 1)) * -1;
  if (bits == 64) indefinite = <i64>INT_BIT;
  if (aC == CLS_NAN || aC == CLS_INF) { exc |= EX_I; return indefinite; }
  let savedExc = exc;
  if (!roundToMag(mode)) { exc = savedExc | EX_I; return indefinite; }
  let limit: u64 = <u64>1 << <u64>(bits - 1);
  if (aS != 0 ? intMag > limit : intMag >= limit) { exc = savedExc | EX_I; return indefinite; }
  return aS != 0 ? -<i64>intMag : <i64>intMag;
}

// A rounded to an integral value in the same format (frndint, roundss).
export function roundToIntegral(mode: u32): void {
  if (aC == CLS_NAN) { if (isSignaling(aC, aM)) exc |= EX_I; aToR(); rM |= QNAN_BIT; return; }
  if (aC != CLS_NORMAL || aE >= 63) { aToR(); return; }
  roundToMag(mode);
  if (intMag == 0) { setR(aS, CLS_ZERO, 0, 0); return; }
  let z = <u64>clz<u64>(intMag);
  setR(aS, CLS_NORMAL, 63 - <i32>z, intMag << z);
}
