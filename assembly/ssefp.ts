// SSE/SSE2/SSE3 floating point: packed and scalar arithmetic, compares,
// conversions (cvtpi2ps & co with MMX operands too), under MXCSR rounding
// control with its exception flags and masks. Every lane goes through the
// soft-float (softfloat.ts), so results and flags are exact; an unmasked
// exception leaves the destination unchanged and stops with REASON_FPU (SIGFPE).
import { REASON_FPU, REASON_UD } from "./layout";
import { fault, rget, rset32, rset64, stopped } from "./cpu";
import { decodeModrm, ea, fetch8, mod, opsize, reg, rm } from "./decode";
import { rd64, rdN } from "./mem";
import { mmGet, mmSet } from "./mmx";
import { mmxEnter } from "./x87";
import { AF, CF, OF, PF, SF, ZF, getFlags, setFlags } from "./flags";
import { PFX_66, PFX_F2, PFX_F3, PFX_NONE, mxcsr, pfx, setMxcsr, xget, xmmAddr, xset, xsrc, xsrc32, xsrc64 } from "./sse";
import {
  CLS_NAN, EX_D, EX_I, EX_Z, aC, bC, clearExc, daz, dropExc, raise, CMP_EQ, CMP_GT, CMP_LT, CMP_UN, F32_EMAX, F32_EMIN, F64_EMAX, F64_EMIN, RC_ZERO, exc, fadd, fcompare, fdiv,
  fmul, fromInt, fsqrt, pack32, pack64, quietR, rToA, rToB, rc, roundR, setControls, setX87Nans, toInt, unpack32,
  unpack64,
} from "./softfloat";

const A: usize = memory.data(16);
const B: usize = memory.data(16);
const OUT: usize = memory.data(16);

// Start an instruction: rounding, DAZ and FTZ from MXCSR, no flags yet.
export function begin(): void {
  let m = mxcsr();
  setControls((m >> 13) & 3, (m & 0x40) != 0, (m & 0x8000) != 0 && (m & 0x800) != 0);
  setX87Nans(false);
}

// Record the flags; false (and #XM) if one of them is unmasked.
export function finish(): bool {
  let m = mxcsr();
  setMxcsr(m | exc);
  if (exc & ~(m >> 7) & 0x3f) { fault(REASON_FPU); return false; }
  return true;
}

// Operands of lane i into the soft-float's A and B.
function loadAB(dbl: bool, i: u32): void {
  if (dbl) { unpack64(load<u64>(A + (i << 3))); rToA(); unpack64(load<u64>(B + (i << 3))); rToB(); }
  else { unpack32(load<u32>(A + (i << 2))); rToA(); unpack32(load<u32>(B + (i << 2))); rToB(); }
}

// Each lane's flags are computed alone: a NaN operand or an invalid operation
// or a zero divide takes precedence over a denormal operand: that lane raises no D.
let laneSaved: u32 = 0;
export function laneBegin(): void { laneSaved = exc; clearExc(); }
export function laneEnd(): void {
  let e = exc;
  if ((e & (EX_I | EX_Z)) != 0 || aC == CLS_NAN || bC == CLS_NAN) e &= ~EX_D;
  clearExc();
  raise(e | laneSaved);
}

function storeR(dbl: bool, i: u32): void {
  if (dbl) store<u64>(OUT + (i << 3), pack64()); else store<u32>(OUT + (i << 2), pack32());
}

// One lane of add/sub/mul/div/sqrt/min/max (opcode 0x51..0x5f).
function arithLane(op: u32, dbl: bool, i: u32): void {
  laneBegin();
  arithLaneOp(op, dbl, i);
  laneEnd();
}

function arithLaneOp(op: u32, dbl: bool, i: u32): void {
  if (op != 0x51) loadAB(dbl, i);
  let prec: i32 = dbl ? 53 : 24, emin = dbl ? F64_EMIN : F32_EMIN, emax = dbl ? F64_EMAX : F32_EMAX;
  switch (op) {
    case 0x58: fadd(false, prec, emin, emax); break;
    case 0x5c: fadd(true, prec, emin, emax); break;
    case 0x59: fmul(prec, emin, emax); break;
    case 0x5e: fdiv(prec, emin, emax); break;
    case 0x51: { // sqrt of the source operand
      if (dbl) { unpack64(load<u64>(B + (i << 3))); } else { unpack32(load<u32>(B + (i << 2))); }
      rToA(); rToB();
      fsqrt(prec, emin, emax);
      break;
    }
    default: { // min (0x5d) / max (0x5f): the second operand unless the first is strictly beyond it
      let c = fcompare(true);
      let first = op == 0x5d ? c == CMP_LT : c == CMP_GT;
      let src = first ? A : B;
      // Under DAZ a denormal comes out as the zero it was read as.
      if (dbl) {
        let v = load<u64>(src + (i << 3));
        store<u64>(OUT + (i << 3), daz && (v & 0x7ff0000000000000) == 0 ? v & 0x8000000000000000 : v);
      } else {
        let v = load<u32>(src + (i << 2));
        store<u32>(OUT + (i << 2), daz && (v & 0x7f800000) == 0 ? v & 0x80000000 : v);
      }
      return;
    }
  }
  storeR(dbl, i);
}

// Load the operands: A = destination register, B = source (scalar forms read 32/64 bits).
// Returns false if the source access faulted.
function operands(scalar: bool, dbl: bool, imm: u32): bool {
  decodeModrm(imm);
  let b = scalar ? i64x2.splat(dbl ? xsrc64() : <u64>xsrc32()) : xsrc(true);
  if (stopped) return false;
  v128.store(A, xget(reg));
  v128.store(B, b);
  v128.store(OUT, xget(reg));
  return true;
}

export function sseFloat(op: u32): void {
  let dbl = pfx == PFX_66 || pfx == PFX_F2;
  let scalar = pfx >= PFX_F2;
  switch (op) {
    case 0x51: case 0x58: case 0x59: case 0x5c: case 0x5d: case 0x5e: case 0x5f: {
      if (!operands(scalar, dbl, 0)) return;
      begin();
      let n: u32 = scalar ? 1 : dbl ? 2 : 4;
      for (let i: u32 = 0; i < n; i++) arithLane(op, dbl, i);
      if (finish()) xset(reg, v128.load(OUT));
      return;
    }
    case 0x52: case 0x53: approximate(op); return;
    case 0x5a: convertFloat(); return;
    case 0x5b: case 0xe6: convertInt(op); return;
    case 0x2a: if (pfx < PFX_F2) fromMmx(); else fromGpr(); return;
    case 0x2c: case 0x2d: if (pfx < PFX_F2) toMmx(op == 0x2c); else toGpr(op == 0x2c); return;
    case 0x2e: case 0x2f: compareFlags(op == 0x2f); return;
    case 0xc2: compareMask(); return;
    case 0x7c: case 0x7d: case 0xd0: horizontal(op); return;
  }
  fault(REASON_UD);
}

// cmpps/pd/ss/sd: predicates 0..7 (eq lt le unord neq nlt nle ord).
function compareMask(): void {
  if (!operands(pfx >= PFX_F2, pfx == PFX_66 || pfx == PFX_F2, 1)) return;
  let pred = fetch8() & 7;
  let dbl = pfx == PFX_66 || pfx == PFX_F2;
  let n: u32 = pfx >= PFX_F2 ? 1 : dbl ? 2 : 4;
  begin();
  for (let i: u32 = 0; i < n; i++) {
    laneBegin();
    loadAB(dbl, i);
    let signaling = pred == 1 || pred == 2 || pred == 5 || pred == 6;
    let c = fcompare(signaling);
    laneEnd();
    let t: bool;
    switch (pred & 3) {
      case 0: t = c == CMP_EQ; break;
      case 1: t = c == CMP_LT; break;
      case 2: t = c == CMP_LT || c == CMP_EQ; break;
      default: t = c == CMP_UN; break;
    }
    if (pred >= 4) t = !t;
    if (dbl) store<u64>(OUT + (i << 3), t ? 0xffffffffffffffff : 0);
    else store<u32>(OUT + (i << 2), t ? 0xffffffff : 0);
  }
  if (finish()) xset(reg, v128.load(OUT));
}

// ucomiss/ucomisd (I on SNaN only) and comiss/comisd (I on any NaN): ZF PF CF.
function compareFlags(signaling: bool): void {
  if (pfx >= PFX_F2) { fault(REASON_UD); return; }
  let dbl = pfx == PFX_66;
  if (!operands(true, dbl, 0)) return;
  begin();
  laneBegin();
  loadAB(dbl, 0);
  let c = fcompare(signaling);
  laneEnd();
  if (!finish()) return;
  let f = getFlags() & ~(OF | SF | AF | ZF | PF | CF);
  if (c == CMP_UN) f |= ZF | PF | CF;
  else if (c == CMP_LT) f |= CF;
  else if (c == CMP_EQ) f |= ZF;
  setFlags(f);
}

// cvtps2pd, cvtpd2ps, cvtss2sd, cvtsd2ss.
function convertFloat(): void {
  let toDouble = pfx == PFX_NONE || pfx == PFX_F3;
  let scalar = pfx >= PFX_F2;
  decodeModrm(0);
  // Packed single → double reads only 64 bits.
  let b = scalar ? i64x2.splat(pfx == PFX_F2 ? xsrc64() : <u64>xsrc32())
    : pfx == PFX_NONE ? i64x2.splat(xsrc64()) : xsrc(true);
  if (stopped) return;
  v128.store(B, b);
  v128.store(OUT, scalar ? xget(reg) : i64x2.splat(0));
  begin();
  let n: u32 = scalar ? 1 : 2;
  for (let i: u32 = 0; i < n; i++) {
    if (toDouble) unpack32(load<u32>(B + (i << 2))); else unpack64(load<u64>(B + (i << 3)));
    quietR();
    if (toDouble) { store<u64>(OUT + (i << 3), pack64()); continue; }
    roundR(24, F32_EMIN, F32_EMAX);
    store<u32>(OUT + (i << 2), pack32());
  }
  if (finish()) xset(reg, v128.load(OUT));
}


// cvtdq2ps, cvtps2dq, cvttps2dq, cvttpd2dq, cvtdq2pd, cvtpd2dq.
function convertInt(op: u32): void {
  decodeModrm(0);
  let fromInts = op == 0x5b ? pfx == PFX_NONE : pfx == PFX_F3;
  if (op == 0x5b && pfx == PFX_F2 || op == 0xe6 && pfx == PFX_NONE) { fault(REASON_UD); return; }
  let b = op == 0xe6 && pfx == PFX_F3 ? i64x2.splat(xsrc64()) : xsrc(true);
  if (stopped) return;
  v128.store(B, b);
  v128.store(OUT, i64x2.splat(0));
  begin();
  let truncate = op == 0x5b ? pfx == PFX_F3 : pfx == PFX_66;
  let mode = truncate ? RC_ZERO : rc;
  if (op == 0x5b) {
    for (let i: u32 = 0; i < 4; i++) {
      if (fromInts) { fromInt(<i64>load<i32>(B + (i << 2)), 24, F32_EMIN, F32_EMAX); store<u32>(OUT + (i << 2), pack32()); }
      else { unpack32(load<u32>(B + (i << 2))); rToA(); store<i32>(OUT + (i << 2), <i32>toInt(32, mode)); }
    }
    if (!fromInts) dropExc(EX_D); // conversions to integers raise no D
  } else {
    for (let i: u32 = 0; i < 2; i++) {
      if (fromInts) { fromInt(<i64>load<i32>(B + (i << 2)), 53, F64_EMIN, F64_EMAX); store<u64>(OUT + (i << 3), pack64()); }
      else { unpack64(load<u64>(B + (i << 3))); rToA(); store<i32>(OUT + (i << 2), <i32>toInt(32, mode)); }
    }
    if (!fromInts) dropExc(EX_D);
  }
  if (finish()) xset(reg, v128.load(OUT));
}

// cvtpi2ps / cvtpi2pd xmm, mm/m64: two int32. Only an MMX register source
// switches the x87 state to MMX (tags valid, TOP 0), as on the CPU.
function fromMmx(): void {
  decodeModrm(0);
  let v = mod == 3 ? mmGet(rm) : rd64(ea);
  if (stopped) return;
  if (mod == 3) mmxEnter();
  begin();
  let dbl = pfx == PFX_66;
  v128.store(OUT, xget(reg));
  for (let i: u32 = 0; i < 2; i++) {
    let x = <i64><i32>(v >> (i << 5));
    if (dbl) { fromInt(x, 53, F64_EMIN, F64_EMAX); store<u64>(OUT + (i << 3), pack64()); }
    else { fromInt(x, 24, F32_EMIN, F32_EMAX); store<u32>(OUT + (i << 2), pack32()); }
  }
  if (finish()) xset(reg, v128.load(OUT));
}

// cvt(t)ps2pi mm, xmm/m64 and cvt(t)pd2pi mm, xmm/m128: two int32 into an MMX register.
function toMmx(truncate: bool): void {
  decodeModrm(0);
  let dbl = pfx == PFX_66;
  let b = dbl ? xsrc(true) : i64x2.splat(xsrc64());
  if (stopped) return;
  mmxEnter();
  v128.store(B, b);
  begin();
  let mode = truncate ? RC_ZERO : rc;
  let r: u64 = 0;
  for (let i: u32 = 0; i < 2; i++) {
    if (dbl) unpack64(load<u64>(B + (i << 3))); else unpack32(load<u32>(B + (i << 2)));
    rToA();
    r |= <u64><u32>toInt(32, mode) << (i << 5);
  }
  dropExc(EX_D); // conversions to integers raise no D
  if (finish()) mmSet(reg, r);
}

// cvtsi2ss / cvtsi2sd xmm, r/m32 or r/m64.
function fromGpr(): void {
  decodeModrm(0);
  let size: u32 = opsize == 8 ? 8 : 4;
  let v = mod == 3 ? rget(size, rm, false) : rdN(size, ea);
  if (stopped) return;
  let iv: i64 = size == 8 ? <i64>v : <i64><i32>v;
  begin();
  let a = xmmAddr(reg);
  if (pfx == PFX_F2) { fromInt(iv, 53, F64_EMIN, F64_EMAX); let r = pack64(); if (finish()) store<u64>(a, r); }
  else { fromInt(iv, 24, F32_EMIN, F32_EMAX); let r = pack32(); if (finish()) store<u32>(a, r); }
}

// cvt(t)ss2si / cvt(t)sd2si r32/r64, xmm/m.
function toGpr(truncate: bool): void {
  decodeModrm(0);
  let dbl = pfx == PFX_F2;
  let v = dbl ? xsrc64() : <u64>xsrc32();
  if (stopped) return;
  begin();
  if (dbl) unpack64(v); else unpack32(<u32>v);
  rToA();
  let bits: i32 = opsize == 8 ? 64 : 32;
  let r = toInt(bits, truncate ? RC_ZERO : rc);
  dropExc(EX_D); // conversions to integers raise no D
  if (!finish()) return;
  if (bits == 64) rset64(reg, <u64>r); else rset32(reg, <u32>r);
}

// haddps/pd, hsubps/pd, addsubps/pd (SSE3).
function horizontal(op: u32): void {
  if (pfx != PFX_66 && pfx != PFX_F2) { fault(REASON_UD); return; }
  let dbl = pfx == PFX_66;
  if (!operands(false, dbl, 0)) return;
  begin();
  let n: u32 = dbl ? 2 : 4;
  let prec: i32 = dbl ? 53 : 24, emin = dbl ? F64_EMIN : F32_EMIN, emax = dbl ? F64_EMAX : F32_EMAX;
  // Copy the inputs: the horizontal forms pair lanes within one operand.
  let sa = v128.load(A), sb = v128.load(B);
  for (let i: u32 = 0; i < n; i++) {
    laneBegin();
    if (op == 0xd0) { loadAB(dbl, i); fadd((i & 1) == 0, prec, emin, emax); storeR(dbl, i); laneEnd(); continue; }
    let src = i < n / 2 ? sa : sb;
    let j = (i % (n / 2)) * 2;
    v128.store(A, src); v128.store(B, src);
    if (dbl) { unpack64(load<u64>(A + (j << 3))); rToA(); unpack64(load<u64>(B + ((j + 1) << 3))); rToB(); }
    else { unpack32(load<u32>(A + (j << 2))); rToA(); unpack32(load<u32>(B + ((j + 1) << 2))); rToB(); }
    fadd(op == 0x7d, prec, emin, emax);
    laneEnd();
    storeR(dbl, i);
  }
  if (finish()) xset(reg, v128.load(OUT));
}

// rcpps/rcpss, rsqrtps/rsqrtss: approximations that raise no flags.
// Denormal inputs count as zero and tiny results flush to zero.
function approximate(op: u32): void {
  if (pfx == PFX_66 || pfx == PFX_F2) { fault(REASON_UD); return; }
  let scalar = pfx == PFX_F3;
  if (!operands(scalar, false, 0)) return;
  let n: u32 = scalar ? 1 : 4;
  for (let i: u32 = 0; i < n; i++) {
    let x = load<f32>(B + (i << 2));
    let bits = load<u32>(B + (i << 2));
    let r: f32;
    if (x != x) { store<u32>(OUT + (i << 2), bits | 0x400000); continue; }
    let zeroish = (bits & 0x7f800000) == 0;
    if (op == 0x53) r = zeroish ? (bits >> 31 ? -Infinity : Infinity) : <f32>(1.0 / <f64>x);
    else if (zeroish) r = bits >> 31 ? -Infinity : Infinity;
    else if (x < 0) { store<u32>(OUT + (i << 2), 0xffc00000); continue; }
    else r = <f32>(1.0 / Math.sqrt(<f64>x));
    if (Mathf.abs(r) < 1.1754943508222875e-38) r = copysign<f32>(0, r);
    store<f32>(OUT + (i << 2), r);
  }
  xset(reg, v128.load(OUT));
}
