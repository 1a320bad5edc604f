// The x87 FPU (opcodes d8..df) in true 80-bit extended precision. The state
// is the fxsave image in the CPU block: ST(i) in stack order at FX_ST, the
// abridged tag (one bit per physical register), FCW and FSW. Arithmetic goes
// through softfloat.ts under the precision and rounding control of FCW;
// transcendentals are computed in double precision.
import { CPU_FPU, FX_FCW, FX_FSW, FX_FTW, FX_ST, FCW_INIT, REASON_FPU, REASON_UD } from "./layout";
import { cpu, fault, rset, stopped } from "./cpu";
import { decodeModrm, ea, mod, opsize, reg, rm } from "./decode";
import { rd16, rd32, rd64, rdN, wr16, wr32, wr64, wrN } from "./mem";
import { CF, PF, ZF, AF, OF, SF, getCF, getFlags, getPF, getZF, setFlags } from "./flags";
import {
  CLS_INF, CLS_NAN, CLS_NORMAL, CLS_ZERO, CMP_EQ, CMP_LT, CMP_UN, EX_D, EX_I, EX_P, EX_Z, F32_EMAX, F32_EMIN,
  F64_EMAX, F64_EMIN, F80_EMAX, F80_EMIN, INDEFINITE_SIG, INT_BIT, QNAN_BIT, RC_DOWN, RC_NEAREST, RC_UP, RC_ZERO,
  aC, aE, aM, aS, bC, bE, bM, bS, defaultNaN, exc, fadd, fcompare, fdiv, fmul, fromInt, fsqrt, isSignaling,
  nanLarger, pack32, pack64, pack80, packedMant, quietR, rC, rE, rM, rS, rToA, rToB, raise, rc, roundPack, roundR,
  roundToIntegral, roundedUp, setA, setControls, setR, setX87Nans, swapAB, toInt, unpack32, unpack64, unpack80,
  aToR, dropExc, setB,
} from "./softfloat";

const C0: u32 = 0x100, C1: u32 = 0x200, C2: u32 = 0x400, C3: u32 = 0x4000;
const SF_FLAG: u32 = 0x40, ES: u32 = 0x80, BUSY: u32 = 0x8000;
const TMP: usize = memory.data(16);

@inline function base(): usize { return cpu + CPU_FPU; }
@inline function fcw(): u32 { return <u32>load<u16>(base() + FX_FCW); }
@inline function fsw(): u32 { return <u32>load<u16>(base() + FX_FSW); }
@inline function setFsw(v: u32): void { store<u16>(base() + FX_FSW, <u16>v); }
@inline function top(): u32 { return (fsw() >> 11) & 7; }
@inline function slot(i: u32): usize { return base() + FX_ST + (<usize>(i & 7) << 4); }
@inline function tags(): u32 { return <u32>load<u8>(base() + FX_FTW); }
@inline function setTags(v: u32): void { store<u8>(base() + FX_FTW, <u8>v); }
@inline function valid(i: u32): bool { return (tags() & (1 << ((top() + i) & 7))) != 0; }
function setCodes(c: u32): void { setFsw((fsw() & ~(C0 | C1 | C2 | C3)) | c); }

function setTopRaw(t: u32): void { setFsw((fsw() & ~0x3800) | ((t & 7) << 11)); }

// Rotate the stack-ordered slots so ST(i) follows a TOP change of `delta`.
function rotate(delta: u32): void {
  delta &= 7;
  if (delta == 0) return;
  let b = base() + FX_ST;
  memory.copy(SCRATCH, b, 128);
  for (let i: u32 = 0; i < 8; i++) memory.copy(b + (<usize>i << 4), SCRATCH + (<usize>((i + delta) & 7) << 4), 16);
}
const SCRATCH: usize = memory.data(128);

function setTop(t: u32): void { rotate(t - top()); setTopRaw(t); }

// ---- the register stack ---------------------------------------------------

function writeSt(i: u32, m: u64, se: u32): void {
  let s = slot(i);
  store<u64>(s, m); store<u16>(s + 8, <u16>se);
  setTags(tags() | (1 << ((top() + i) & 7)));
}

function pushRaw(m: u64, se: u32): void {
  setTop(top() - 1);
  writeSt(0, m, se);
}

function pop(): void {
  setTags(tags() & ~(1 << top()));
  setTop(top() + 1);
}

// Stack fault: I and SF; C1 tells overflow (1) from underflow (0).
function stackFault(overflow: bool): void {
  raise(EX_I);
  setFsw(fsw() | SF_FLAG);
  setCodes(overflow ? C1 : 0);
  stackFaulted = true;
}

@inline function masked(f: u32): bool { return (fcw() & f) != 0; }

// Push R (as an 80-bit value); a full stack is an overflow.
function pushR(): void {
  if (valid(7)) {
    stackFault(true);
    if (!masked(EX_I)) return;
    pushRaw(INDEFINITE_SIG, 0xffff);
    return;
  }
  let se = pack80();
  pushRaw(packedMant, se);
}

// ST(i) into R; false (after an underflow fault) if empty.
function readSt(i: u32): bool {
  if (!valid(i)) { stackFault(false); defaultNaN(); return false; }
  let s = slot(i);
  unpack80(load<u64>(s), <u32>load<u16>(s + 8));
  return true;
}

function storeR(i: u32): void {
  let se = pack80();
  writeSt(i, packedMant, se);
}

// ---- exceptions ---------------------------------------------------------------

let stackFaulted = false; // C1 then tells overflow from underflow

function begin(): void {
  stackFaulted = false;
  let c = fcw();
  setControls((c >> 10) & 3, false, false);
  setX87Nans(true);
}

@inline function prec(): i32 {
  let pc = (fcw() >> 8) & 3;
  return pc == 0 ? 24 : pc == 2 ? 53 : 64;
}

// Fold the operation's flags into FSW (C1 = rounded up, cleared otherwise). Returns
// false when an unmasked invalid/zero-divide/denormal means no result is stored.
function finish(): bool {
  // An invalid operation, a zero divide or a NaN takes precedence over a denormal operand.
  if ((exc & (EX_I | EX_Z)) != 0 || rC == CLS_NAN) dropExc(EX_D);
  let e = exc & 0x3f;
  let s = fsw() | e;
  if (!stackFaulted) s = roundedUp ? s | C1 : s & ~C1;
  let unmasked = e & ~fcw() & 0x3f;
  if (unmasked) s |= ES | BUSY;
  setFsw(s);
  return (unmasked & (EX_I | EX_Z | EX_D)) == 0;
}

// ---- dispatch -----------------------------------------------------------------

export function fpuOp(op: u32): void {
  decodeModrm(0);
  let r = reg & 7;
  // Non-waiting forms run even with an exception pending.
  let noWait = (op == 0xd9 && mod != 3 && (r == 6 || r == 7)) || (op == 0xdd && mod != 3 && (r == 6 || r == 7)) ||
    (op == 0xdb && mod == 3 && (rm & 7) >= 2 && (rm & 7) <= 3 && r == 4) || (op == 0xdf && mod == 3 && r == 4);
  if (!noWait && (fsw() & ES)) { fault(REASON_FPU); return; }
  begin();
  if (mod != 3) memoryForm(op, r); else registerForm(op, r, rm & 7);
}

// fwait with a pending unmasked exception.
export function fwait(): void { if (fsw() & ES) fault(REASON_FPU); }

function memoryForm(op: u32, r: u32): void {
  switch (op) {
    case 0xd8: { let v = rd32(ea); if (stopped) return; unpack32(v); rToB(); arith(r, 0, false); return; }
    case 0xdc: { let v = rd64(ea); if (stopped) return; unpack64(v); rToB(); arith(r, 0, false); return; }
    case 0xda: case 0xde: { // integer operands
      let v: i64 = op == 0xda ? <i64><i32>rd32(ea) : <i64><i16>rd16(ea);
      if (stopped) return;
      fromInt(v, 64, F80_EMIN, F80_EMAX); rToB();
      arith(r, 0, false);
      return;
    }
    case 0xd9:
      switch (r) {
        case 0: { let v = rd32(ea); if (stopped) return; unpack32(v); loadR(); return; }
        case 2: case 3: storeFloat(4, r == 3); return;
        case 4: fldenv(ea); return;
        case 5: { let v = rd16(ea); if (stopped) return; setFcw(v); return; }
        case 6: fnstenv(ea); return;
        case 7: wr16(ea, fcw()); return;
      }
      break;
    case 0xdb:
      switch (r) {
        case 0: { let v = rd32(ea); if (stopped) return; fromInt(<i64><i32>v, 64, F80_EMIN, F80_EMAX); pushLoaded(); return; }
        case 1: case 2: case 3: storeInt(4, r); return;
        case 5: { // fld m80: bit-exact
          let m = rd64(ea), se = rd16(ea + 8);
          if (stopped) return;
          if (valid(7)) { stackFault(true); if (masked(EX_I)) pushRaw(INDEFINITE_SIG, 0xffff); finish(); return; }
          pushRaw(m, se);
          return;
        }
        case 7: { // fstp m80
          if (!valid(0)) { stackFault(false); if (!finish()) return; wr64(ea, INDEFINITE_SIG); wr16(ea + 8, 0xffff); if (!stopped) pop(); return; }
          let s = slot(0);
          wr64(ea, load<u64>(s)); wr16(ea + 8, <u32>load<u16>(s + 8));
          if (stopped) return;
          pop();
          setCodes(fsw() & (C0 | C2 | C3)); // exact: C1 = 0
          return;
        }
      }
      break;
    case 0xdd:
      switch (r) {
        case 0: { let v = rd64(ea); if (stopped) return; unpack64(v); loadR(); return; }
        case 1: storeInt(8, 1); return;
        case 2: case 3: storeFloat(8, r == 3); return;
        case 4: frstor(ea); return;
        case 6: fnsave(ea); return;
        case 7: wr16(ea, fsw()); return;
      }
      break;
    case 0xdf:
      switch (r) {
        case 0: { let v = rd16(ea); if (stopped) return; fromInt(<i64><i16>v, 64, F80_EMIN, F80_EMAX); pushLoaded(); return; }
        case 1: case 2: case 3: storeInt(2, r); return;
        case 4: fbld(); return;
        case 5: { let v = rd64(ea); if (stopped) return; fromInt(<i64>v, 64, F80_EMIN, F80_EMAX); pushLoaded(); return; }
        case 6: fbstp(); return;
        case 7: storeInt(8, 3); return;
      }
      break;
  }
  fault(REASON_UD);
}

// fld of a 32/64-bit value in R: signaling NaNs are quieted with I.
function loadR(): void {
  quietR();
  pushLoaded();
}

function pushLoaded(): void {
  let e = exc;
  if (e & ~fcw() & (EX_I | EX_D)) { finish(); return; }
  pushR();
  finish();
}

function setFcw(v: u32): void {
  store<u16>(base() + FX_FCW, <u16>(v | 0x40));
  let pending = fsw() & 0x3f & ~v;
  setFsw(pending ? fsw() | ES | BUSY : fsw() & ~(ES | BUSY));
}

// fst/fstp m32/m64.
function storeFloat(size: u32, popAfter: bool): void {
  if (!readSt(0)) {
    if (!finish()) return;
    wrN(size, ea, size == 4 ? 0xffc00000 : 0xfff8000000000000);
    if (popAfter && !stopped) pop();
    return;
  }
  quietR();
  dropExc(EX_D); // fst raises no D
  if (size == 4) roundR(24, F32_EMIN, F32_EMAX); else roundR(53, F64_EMIN, F64_EMAX);
  let v: u64 = size == 4 ? <u64>pack32() : pack64();
  if (!finishStore()) return;
  wrN(size, ea, v);
  if (popAfter && !stopped) pop();
}

// Stores keep C1 = rounded-up; an unmasked exception stores nothing.
function finishStore(): bool {
  let ok = finish();
  return ok && (exc & ~fcw() & 0x3f) == 0;
}

// fist/fistp (r 2/3, by rounding control) and fisttp (r 1, truncating).
function storeInt(size: u32, r: u32): void {
  let bits: i32 = <i32>size << 3;
  let v: i64;
  if (!readSt(0)) v = bits == 64 ? <i64>INT_BIT : -(<i64>1 << (bits - 1));
  else { rToA(); v = toInt(bits, r == 1 ? RC_ZERO : rc); dropExc(EX_D); } // integer stores raise no D
  if (!finishStore()) return;
  wrN(size, ea, <u64>v);
  if (r != 2 && !stopped) pop();
}

// Arithmetic: 0 add 1 mul 2 com 3 comp 4 sub 5 subr 6 div 7 divr, with B the
// other operand. The destination is ST(dst); `rev` = dest is ST(i), src ST0.
function arith(r: u32, dst: u32, popAfter: bool): void {
  if (!readSt(dst)) { if (finish() && r != 2 && r != 3) storeIndefinite(dst); if (r == 3 && !stopped) pop(); return; }
  rToA();
  let p = prec();
  switch (r) {
    case 0: fadd(false, p, F80_EMIN, F80_EMAX); break;
    case 1: fmul(p, F80_EMIN, F80_EMAX); break;
    case 2: case 3: {
      let c = fcompare(true);
      if (finish()) setCodes(compareCodes(c));
      if (r == 3) pop();
      return;
    }
    case 4: fadd(true, p, F80_EMIN, F80_EMAX); break;
    case 5: swapAB(); fadd(true, p, F80_EMIN, F80_EMAX); break;
    case 6: fdiv(p, F80_EMIN, F80_EMAX); break;
    default: swapAB(); fdiv(p, F80_EMIN, F80_EMAX); break;
  }
  if (finish()) storeR(dst);
  if (popAfter) pop();
}

function storeIndefinite(i: u32): void { writeSt(i, INDEFINITE_SIG, 0xffff); }

function compareCodes(c: u32): u32 {
  return c == CMP_UN ? C0 | C2 | C3 : c == CMP_LT ? C0 : c == CMP_EQ ? C3 : 0;
}

function registerForm(op: u32, r: u32, i: u32): void {
  switch (op) {
    case 0xd8: if (!readSt(i)) { finish(); return; } rToB(); arith(r, 0, false); return;
    case 0xdc: case 0xde: {
      if (op == 0xde && r == 3) { // fcompp (de d9)
        if (i != 1) break;
        if (!readSt(1)) { finish(); pop(); pop(); return; }
        rToB(); arith(3, 0, false); if (!stopped) pop();
        return;
      }
      if (op == 0xde && r == 2) break;
      if (!readSt(0)) { finish(); return; }
      rToB();
      let rr = r >= 4 ? r ^ 1 : r;
      if (op == 0xdc && (r == 2 || r == 3)) rr = r; // dc d0+i / d8+i: fcom aliases
      arith(rr, i, op == 0xde);
      return;
    }
    case 0xd9: d9Register(r, i); return;
    case 0xda:
      if (r < 4) { fcmov(r, false, i); return; }
      if (r == 5 && i == 1) { fucom(1, 2, false); return; } // fucompp
      break;
    case 0xdb:
      if (r < 4) { fcmov(r, true, i); return; }
      if (r == 4) {
        if (i == 2) { setFsw(fsw() & ~(0x3f | SF_FLAG | ES | BUSY)); return; } // fnclex
        if (i == 3) { fninit(); return; }
        if (i == 0 || i == 1 || i == 4) return; // feni fdisi fsetpm: nops
        break;
      }
      if (r == 5 || r == 6) { fcomi(i, r == 6, false); return; }
      break;
    case 0xdd:
      switch (r) {
        case 0: setTags(tags() & ~(1 << ((top() + i) & 7))); return; // ffree
        case 2: case 3: { // fst/fstp st(i)
          if (!valid(0)) { stackFault(false); if (finish()) storeIndefinite(i); if (r == 3) pop(); return; }
          let s = slot(0);
          writeSt(i, load<u64>(s), <u32>load<u16>(s + 8));
          if (r == 3) pop();
          return;
        }
        case 4: case 5: fucom(i, r == 5 ? 1 : 0, false); return;
      }
      break;
    case 0xdf:
      if (r == 4 && i == 0) { rset(2, 0, <u64>fsw(), false); return; } // fnstsw ax
      if (r == 5 || r == 6) { fcomi(i, r == 6, true); return; }
      if (r == 0) { setTags(tags() & ~(1 << ((top() + i) & 7))); pop0(); return; } // ffreep
      break;
  }
  fault(REASON_UD);
}

function pop0(): void { setTop(top() + 1); }

// fucom/fucomp/fucompp: compare ST0 with ST(i), I only for signaling NaNs.
function fucom(i: u32, pops: u32, signaling: bool): void {
  let ok = readSt(i);
  if (ok) { rToB(); ok = readSt(0); }
  if (ok) {
    rToA();
    let c = fcompare(signaling);
    if (finish()) setCodes(compareCodes(c));
  } else if (finish()) setCodes(C0 | C2 | C3);
  for (let k: u32 = 0; k < pops; k++) pop();
}

// fcomi/fucomi (and the popping forms): ZF PF CF.
function fcomi(i: u32, signaling: bool, popAfter: bool): void {
  let ok = readSt(i);
  if (ok) { rToB(); ok = readSt(0); }
  let c = CMP_UN;
  if (ok) { rToA(); c = fcompare(signaling); }
  setCodes(fsw() & ~C1 & (C0 | C2 | C3));
  if (finish()) {
    let f = getFlags() & ~(OF | SF | AF | ZF | PF | CF);
    if (c == CMP_UN) f |= ZF | PF | CF; else if (c == CMP_LT) f |= CF; else if (c == CMP_EQ) f |= ZF;
    setFlags(f);
  }
  if (popAfter) pop();
}

function fcmov(r: u32, negate: bool, i: u32): void {
  let t: bool = r == 0 ? getCF() : r == 1 ? getZF() : r == 2 ? getCF() || getZF() : getPF();
  if (negate) t = !t;
  if (!valid(i) || !valid(0)) { stackFault(false); if (finish()) storeIndefinite(0); return; }
  setCodes(fsw() & ~C1 & (C0 | C2 | C3));
  if (!t) return;
  let s = slot(i);
  writeSt(0, load<u64>(s), <u32>load<u16>(s + 8));
}

// ---- d9 register forms ------------------------------------------------------------

function d9Register(r: u32, i: u32): void {
  switch (r) {
    case 0: { // fld st(i)
      if (!readSt(i)) { if (finish()) { if (valid(7)) { stackFault(true); finish(); return; } pushRaw(INDEFINITE_SIG, 0xffff); } return; }
      let s = slot(i);
      let m = load<u64>(s), se = <u32>load<u16>(s + 8);
      if (valid(7)) { stackFault(true); if (finish()) pushRaw(INDEFINITE_SIG, 0xffff); return; }
      pushRaw(m, se);
      setCodes(fsw() & ~C1 & (C0 | C2 | C3));
      return;
    }
    case 1: fxch(i); return;
    case 2: if (i == 0) return; break; // fnop
    case 4: {
      if (i == 5) { fxam(); return; }
      if (i == 2 || i == 3 || i > 5) break;
      if (!readSt(0)) { if (finish() && i < 2) storeIndefinite(0); return; }
      let s = slot(0);
      if (i == 0) store<u16>(s + 8, load<u16>(s + 8) ^ 0x8000); // fchs
      else if (i == 1) store<u16>(s + 8, load<u16>(s + 8) & 0x7fff); // fabs
      else { rToA(); setA(aS, aC, aE, aM); setB0(); let c = fcompare(true); if (finish()) setCodes(compareCodes(c)); return; } // ftst
      setCodes(fsw() & ~C1 & (C0 | C2 | C3));
      return;
    }
    case 5: if (i < 7) { loadConstant(i); return; } break;
    case 6: case 7: d9Math(((r - 6) << 3) | i); return;
  }
  fault(REASON_UD);
}

function setB0(): void { setR(0, CLS_ZERO, 0, 0); rToB(); }

function fxch(i: u32): void {
  if (!valid(0) || !valid(i)) {
    stackFault(false);
    if (!finish()) return;
    if (!valid(0)) storeIndefinite(0);
    if (!valid(i)) storeIndefinite(i);
  }
  let a = slot(0), b = slot(i);
  let am = load<u64>(a), ase = load<u16>(a + 8);
  store<u64>(a, load<u64>(b)); store<u16>(a + 8, load<u16>(b + 8));
  store<u64>(b, am); store<u16>(b + 8, ase);
  setCodes(fsw() & ~C1 & (C0 | C2 | C3));
}

// fxam: C3 C2 C0 classify ST0, C1 is its sign.
function fxam(): void {
  let s = slot(0);
  let m = load<u64>(s), se = <u32>load<u16>(s + 8);
  let c1 = (se & 0x8000) ? C1 : 0;
  if (!valid(0)) { setCodes(C3 | C0 | c1); return; }
  let e = se & 0x7fff;
  let c: u32;
  if (e == 0x7fff) c = (m & INT_BIT) == 0 ? 0 : (m << 1) == 0 ? C2 | C0 : C0;
  else if (e == 0) c = m == 0 ? C3 : C3 | C2;
  else c = (m & INT_BIT) == 0 ? 0 : C2;
  setCodes(c | c1);
}

// fld1 fldl2t fldl2e fldpi fldlg2 fldln2 fldz; the irrational ones round by RC.
function loadConstant(i: u32): void {
  let m: u64 = 0, e: i32 = 0, upIsNearest = true;
  switch (i) {
    case 0: m = INT_BIT; e = 0; break;
    case 1: m = 0xd49a784bcd1b8afe; e = 1; upIsNearest = false; break;
    case 2: m = 0xb8aa3b295c17f0bc; e = 0; break;
    case 3: m = 0xc90fdaa22168c235; e = 1; break;
    case 4: m = 0x9a209a84fbcff799; e = -2; break;
    case 5: m = 0xb17217f7d1cf79ac; e = -1; break;
  }
  if (i >= 1 && i <= 5) {
    let mode = rc;
    if (upIsNearest && (mode == RC_DOWN || mode == RC_ZERO)) m--;
    if (!upIsNearest && mode == RC_UP) m++;
  }
  if (i == 6) setR(0, CLS_ZERO, 0, 0); else setR(0, CLS_NORMAL, e, m);
  pushR();
  finish();
}

// d9 f0..ff.
function d9Math(k: u32): void {
  switch (k) {
    case 6: setTop(top() - 1); setCodes(fsw() & ~C1 & (C0 | C2 | C3)); return; // fdecstp
    case 7: setTop(top() + 1); setCodes(fsw() & ~C1 & (C0 | C2 | C3)); return; // fincstp
  }
  if (!readSt(0)) { if (finish()) storeIndefinite(0); return; }
  rToA();
  let p = prec();
  switch (k) {
    case 10: fsqrt(p, F80_EMIN, F80_EMAX); if (finish()) storeR(0); return;
    case 12: roundToIntegral(rc); if (finish()) storeR(0); return;
    case 4: fxtract(); return;
    case 5: case 8: fprem(k == 5); return;
    case 13: case 1: case 3: case 9: { // fscale, fyl2x, fpatan, fyl2xp1: two operands
      if (!readSt(1)) { if (finish()) storeIndefinite(k == 13 ? 0 : 1); if (k != 13) pop(); return; }
      rToB();
      if (k == 13) { fscale(); return; }
      binaryTranscendental(k);
      return;
    }
  }
  unaryTranscendental(k);
}

// ---- fprem / fprem1, fscale, fxtract ------------------------------------------------

function fprem(nearest: bool): void {
  if (!readSt(1)) { finish(); return; }
  rToB();
  // A = ST0 (dividend), B = ST1 (divisor)
  if (aC == CLS_NAN || bC == CLS_NAN) { nanLarger(); if (finish()) storeR(0); return; }
  if (aC == CLS_INF || bC == CLS_ZERO) { raise(EX_I); defaultNaN(); if (finish()) storeR(0); return; }
  if (bC == CLS_INF || aC == CLS_ZERO) { aToR(); if (finish()) { storeR(0); setCodes(0); } return; }
  let d = aE - bE;
  let r = aM, q: u64 = 0, sign = aS, codes: u32 = 0;
  if (d < 0) {
    // |A| < |B|: the remainder is A, except fprem1 rounding a quotient of 1 when
    // |A| > |B|/2, giving |B| - |A| = (2bM - aM) at A's exponent.
    if (nearest && d == -1 && aM > bM) { q = 1; normalizeR(sign ^ 1, aE, bM - (aM - bM)); }
    else aToR();
  } else {
    let n = d;
    let partial = d >= 64;
    if (partial) n = 32 + (d & 31); // a partial remainder: skip the quotient's top d - n bits
    if (r >= bM) { r -= bM; q = 1; }
    for (let k: i32 = 0; k < n; k++) {
      let carry = r >> 63;
      r <<= 1; q <<= 1;
      if (carry != 0 || r >= bM) { r -= bM; q |= 1; }
    }
    if (partial) codes = C2;
    else if (nearest && r != 0) {
      let other = bM - r;
      if (r > other || (r == other && (q & 1) != 0)) { r = other; q++; sign ^= 1; }
    }
    if (r == 0) setR(aS, CLS_ZERO, 0, 0); else normalizeR(sign, bE + (d - n), r);
  }
  if (codes == 0) codes = ((q & 4) != 0 ? C0 : 0) | ((q & 2) != 0 ? C3 : 0) | ((q & 1) != 0 ? C1 : 0);
  if (finish()) { storeR(0); setCodes(codes); }
}

// sign × m × 2^(e-63), exact, into R.
function normalizeR(sign: u32, e: i32, m: u64): void {
  let z = <u64>clz<u64>(m);
  roundPack(sign, e - <i32>z, m << z, 0, 64, F80_EMIN, F80_EMAX);
}

// The result keeps the full 64-bit significand: precision control does not apply.
function fscale(): void {
  // A = ST0, B = ST1
  if (aC == CLS_NAN || bC == CLS_NAN) { nanLarger(); if (finish()) storeR(0); return; }
  if (bC == CLS_INF) {
    if ((bS == 0 && aC == CLS_ZERO) || (bS != 0 && aC == CLS_INF)) { raise(EX_I); defaultNaN(); }
    else if (aC == CLS_ZERO || aC == CLS_INF) aToR();
    else setR(aS, bS == 0 ? CLS_INF : CLS_ZERO, 0, bS == 0 ? INT_BIT : 0);
    if (finish()) storeR(0);
    return;
  }
  if (aC != CLS_NORMAL) { aToR(); if (finish()) storeR(0); return; }
  let n: i32;
  if (bC == CLS_ZERO || bE < 0) n = 0;
  else if (bE > 30) n = bS != 0 ? -0x7fffffff : 0x7fffffff;
  else { n = <i32>(bM >> <u64>(63 - bE)); if (bS != 0) n = -n; }
  let e = <i64>aE + <i64>n;
  if (e > 0x100000) e = 0x100000; else if (e < -0x100000) e = -0x100000;
  roundPack(aS, <i32>e, aM, 0, 64, F80_EMIN, F80_EMAX);
  if (finish()) storeR(0);
}

function fxtract(): void {
  if (aC == CLS_NAN) { quietR2(); if (!finish()) return; storeR(0); pushR(); return; }
  if (aC == CLS_ZERO) {
    raise(EX_Z);
    if (!finish()) return;
    setR(1, CLS_INF, 0, INT_BIT); storeR(0);
    setR(aS, CLS_ZERO, 0, 0); pushR();
    return;
  }
  if (aC == CLS_INF) { setR(0, CLS_INF, 0, INT_BIT); storeR(0); setR(aS, CLS_INF, 0, INT_BIT); pushR(); finish(); return; }
  if (!finish()) return;
  fromInt(<i64>aE, 64, F80_EMIN, F80_EMAX);
  storeR(0);
  setR(aS, CLS_NORMAL, 0, aM);
  pushR();
}

function quietR2(): void { aToR(); if (isSignaling(aC, aM)) raise(EX_I); setR(rS, rC, rE, rM | QNAN_BIT); }

// ---- transcendentals (double precision) ---------------------------------------------

// A as a double (round to nearest, no flags).
function aToF64(): f64 {
  if (aC == CLS_ZERO) return aS ? -0.0 : 0.0;
  if (aC == CLS_INF) return aS ? -Infinity : Infinity;
  if (aC == CLS_NAN) return NaN;
  let savedExc = exc, savedRc = rc;
  setControls(RC_NEAREST, false, false);
  roundPack(aS, aE, aM, 0, 53, -16000, 16000);
  let v = rC == CLS_ZERO ? 0.0 : ldexp(<f64>rM, rE - 63);
  if (rS) v = -v;
  setControls(savedRc, false, false);
  restoreExc(savedExc);
  return v;
}

function restoreExc(e: u32): void { raise(e); }

function ldexp(m: f64, e: i32): f64 {
  while (e > 1000) { m *= 8.98846567431158e307; e -= 1023; }
  while (e < -1000) { m *= 1.1125369292536007e-308; e += 1022; }
  return m * reinterpret<f64>(<u64>(e + 1023) << 52);
}

// A double into R (exact). Precision control does not apply to transcendentals.
function f64ToR(v: f64): void {
  let d = exc & EX_D;
  unpack64(reinterpret<u64>(v));
  dropExc(EX_D);
  raise(d);
}

// Arguments too small for a double: sin x and tan x are just below and above
// x in magnitude, cos x just below 1, 2^x - 1 = x ln 2; rounded at 64 bits by RC.
// True when handled.
function tinyTranscendental(k: u32): bool {
  if (aC != CLS_NORMAL || aE >= -40) return false;
  if (k == 0) { setB(0, CLS_NORMAL, -1, 0xb17217f7d1cf79ac); fmul(64, F80_EMIN, F80_EMAX); raise(EX_P); return true; }
  if (k == 15) roundPack(0, -1, 0xffffffffffffffff, 0xffffffffffffffff, 64, F80_EMIN, F80_EMAX);
  else if (k == 2) roundPack(aS, aE, aM, 1, 64, F80_EMIN, F80_EMAX);
  else if (aM == INT_BIT) roundPack(aS, aE - 1, 0xffffffffffffffff, 0xffffffffffffffff, 64, F80_EMIN, F80_EMAX);
  else roundPack(aS, aE, aM - 1, 0xffffffffffffffff, 64, F80_EMIN, F80_EMAX);
  return true;
}

function unaryTranscendental(k: u32): void {
  // A = ST0
  if (aC == CLS_NAN) { quietR2(); if (finish()) storeR(0); if (k == 2 || k == 11) { /* fptan/fsincos push the NaN too */ pushR(); } return; }
  let x = aToF64();
  if (k == 14 || k == 15 || k == 11 || k == 2) { // fsin fcos fsincos fptan: |x| < 2^63 only
    if (aC == CLS_INF) { raise(EX_I); defaultNaN(); if (finish()) { storeR(0); if (k == 11 || k == 2) pushR(); } return; }
    if (aC == CLS_NORMAL && aE >= 63) { setCodes(C2); return; }
  }
  let r0: f64 = 0, r1: f64 = 0;
  if (tinyTranscendental(k)) {
    if (!finish()) return;
    storeR(0);
    setCodes(fsw() & (C0 | C1 | C3));
    if (k == 2) { setR(0, CLS_NORMAL, 0, INT_BIT); pushR(); } // fptan pushes 1
    else if (k == 11) { roundPack(0, -1, 0xffffffffffffffff, 0xffffffffffffffff, 64, F80_EMIN, F80_EMAX); pushR(); } // cos x
    return;
  }
  switch (k) {
    case 0: r0 = Math.expm1(x * 0.6931471805599453); break; // f2xm1
    case 14: r0 = Math.sin(x); break;
    case 15: r0 = Math.cos(x); break;
    case 11: r0 = Math.sin(x); r1 = Math.cos(x); break;
    case 2: r0 = Math.tan(x); r1 = 1.0; break;
    default: fault(REASON_UD); return;
  }
  if (aC != CLS_ZERO) raise(EX_P);
  f64ToR(r0);
  if (!finish()) return;
  storeR(0);
  setCodes(fsw() & (C0 | C1 | C3));
  if (k == 11 || k == 2) {
    if (k == 11) f64ToR(r1); else setR(0, CLS_NORMAL, 0, INT_BIT);
    pushR();
  }
}

function binaryTranscendental(k: u32): void {
  // A = ST0, B = ST1; the result replaces ST1 and ST0 is popped.
  if (aC == CLS_NAN || bC == CLS_NAN) { nanLarger(); if (finish()) storeR(1); pop(); return; }
  if (k == 3) { // fpatan needs only the ratio: scale both into double range
    let shift = aC == CLS_NORMAL && bC == CLS_NORMAL ? (aE > bE ? aE : bE) : aC == CLS_NORMAL ? aE : bC == CLS_NORMAL ? bE : 0;
    if (aC == CLS_NORMAL) setA(aS, aC, aE - shift, aM);
    if (bC == CLS_NORMAL) setB(bS, bC, bE - shift, bM);
  }
  if (k == 1 && aC == CLS_NORMAL && aS == 0 && bC != CLS_INF) {
    // fyl2x of a positive finite x: log2 x = exponent + log2 of the significand
    // (exact for a power of two), times y in 80-bit so that y keeps its range
    if (aM == INT_BIT) fromInt(<i64>aE, 64, F80_EMIN, F80_EMAX);
    else { f64ToR(<f64>aE + Math.log2(<f64>aM * 1.0842021724855044e-19)); raise(EX_P); }
    rToA();
    fmul(64, F80_EMIN, F80_EMAX);
    if (finish()) storeR(1);
    pop();
    return;
  }
  let x = aToF64();
  swapAB();
  let y = aToF64();
  swapAB();
  let r: f64;
  if (k == 3) r = Math.atan2(y, x); // fpatan
  else {
    if (k == 1 && ((aS != 0 && aC != CLS_ZERO) || (aC == CLS_ZERO && bC == CLS_ZERO) || (x == 1 && bC == CLS_INF))) {
      raise(EX_I); defaultNaN(); if (finish()) storeR(1); pop(); return;
    }
    if (k == 1 && aC == CLS_ZERO) { // ±0: -inf times y, a zero divide
      raise(EX_Z); setR(bS ^ 1, CLS_INF, 0, INT_BIT); if (finish()) storeR(1); pop(); return;
    }
    if (k == 9 && bC == CLS_NORMAL && aC == CLS_NORMAL) { // fyl2xp1: log2(1 + x) in double, times y in 80-bit
      f64ToR(Math.log1p(x) * 1.4426950408889634);
      raise(EX_P);
      rToA();
      fmul(64, F80_EMIN, F80_EMAX);
      if (finish()) storeR(1);
      pop();
      return;
    }
    r = k == 1 ? y * Math.log2(x) : y * (Math.log1p(x) * 1.4426950408889634);
  }
  if (r != 0 || k != 3) raise(EX_P); // atan2(±0, x > 0) is exact
  f64ToR(r);
  if (finish()) storeR(1);
  pop();
}

// ---- environment and state -------------------------------------------------------------

// The full tag word: 2 bits per physical register (valid, zero, special, empty).
function fullTags(): u32 {
  let t: u32 = 0;
  let tp = top();
  for (let p: u32 = 0; p < 8; p++) {
    let tag: u32 = 3;
    if (tags() & (1 << p)) {
      let s = slot(p - tp);
      let e = <u32>load<u16>(s + 8) & 0x7fff, m = load<u64>(s);
      tag = e == 0x7fff ? 2 : e == 0 ? (m == 0 ? 1 : 2) : (m & INT_BIT) == 0 ? 2 : 0;
    }
    t |= tag << (p << 1);
  }
  return t;
}

function envSize(): u32 { return opsize == 2 ? 14 : 28; }

function fnstenv(addr: u64): void {
  writeEnv(addr);
  if (stopped) return;
  store<u16>(base() + FX_FCW, <u16>(fcw() | 0x3f));
}

function writeEnv(addr: u64): void {
  if (opsize == 2) {
    wr16(addr, fcw()); wr16(addr + 2, fsw()); wr16(addr + 4, fullTags());
    wr16(addr + 6, 0); wr16(addr + 8, 0); wr16(addr + 10, 0); wr16(addr + 12, 0);
    return;
  }
  wr32(addr, fcw() | 0xffff0000); wr32(addr + 4, fsw() | 0xffff0000); wr32(addr + 8, fullTags() | 0xffff0000);
  wr32(addr + 12, 0); wr32(addr + 16, 0); wr32(addr + 20, 0); wr32(addr + 24, 0xffff0000);
}

function fldenv(addr: u64): void {
  let cw: u32, sw: u32, tw: u32;
  if (opsize == 2) { cw = rd16(addr); sw = rd16(addr + 2); tw = rd16(addr + 4); }
  else { cw = rd32(addr) & 0xffff; sw = rd32(addr + 4) & 0xffff; tw = rd32(addr + 8) & 0xffff; }
  if (stopped) return;
  loadEnv(cw, sw, tw);
}

function loadEnv(cw: u32, sw: u32, tw: u32): void {
  setTop((sw >> 11) & 7);
  store<u16>(base() + FX_FCW, <u16>(cw | 0x40));
  let pending = sw & 0x3f & ~cw;
  setFsw(pending ? sw | ES | BUSY : sw & ~(ES | BUSY));
  let t: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) if (((tw >> (p << 1)) & 3) != 3) t |= 1 << p;
  setTags(t);
}

function fnsave(addr: u64): void {
  writeEnv(addr);
  let n = envSize();
  for (let i: u32 = 0; i < 8 && !stopped; i++) {
    let s = slot(i);
    wr64(addr + n + i * 10, load<u64>(s));
    wr16(addr + n + i * 10 + 8, <u32>load<u16>(s + 8));
  }
  if (!stopped) fninit();
}

function frstor(addr: u64): void {
  let n = envSize();
  for (let i: u32 = 0; i < 8; i++) {
    store<u64>(TMP, rd64(addr + n + i * 10));
    if (stopped) return;
  }
  let cw: u32, sw: u32, tw: u32;
  if (opsize == 2) { cw = rd16(addr); sw = rd16(addr + 2); tw = rd16(addr + 4); }
  else { cw = rd32(addr) & 0xffff; sw = rd32(addr + 4) & 0xffff; tw = rd32(addr + 8) & 0xffff; }
  if (stopped) return;
  loadEnv(cw, sw, tw);
  for (let i: u32 = 0; i < 8; i++) {
    let s = slot(i);
    store<u64>(s, rd64(addr + n + i * 10));
    store<u16>(s + 8, <u16>rd16(addr + n + i * 10 + 8));
  }
}

export function fninit(): void {
  let b = base();
  store<u16>(b + FX_FCW, <u16>FCW_INIT);
  setFsw(0);
  setTags(0);
  memory.fill(b + 6, 0, 18); // FOP, FIP, FDP
}

// ---- packed BCD ---------------------------------------------------------------------

function fbld(): void {
  let lo = rd64(ea), hi = rd16(ea + 8);
  if (stopped) return;
  let hiDigits = hi & 0xff;
  let v = <i64>((hiDigits >> 4) * 10 + (hiDigits & 0xf));
  for (let i: i32 = 7; i >= 0; i--) {
    let byte = <i64>((lo >> <u64>(i << 3)) & 0xff);
    v = v * 100 + (byte >> 4) * 10 + (byte & 0xf);
  }
  if (hi & 0x8000) v = -v;
  fromInt(v, 64, F80_EMIN, F80_EMAX);
  if (v == 0 && (hi & 0x8000)) setR(1, CLS_ZERO, 0, 0);
  pushLoaded();
}

function fbstp(): void {
  let v: i64;
  let neg = false;
  if (!readSt(0)) v = 0;
  else {
    rToA(); neg = aS != 0;
    v = toInt(64, rc);
    dropExc(EX_D); // integer stores raise no D
    if (v == <i64>INT_BIT || v > 999999999999999999 || v < -999999999999999999) {
      dropExc(EX_P); raise(EX_I); v = <i64>INT_BIT; // out of range: invalid, not inexact
    }
  }
  if (!finishStore()) return;
  if (v == <i64>INT_BIT) { wr64(ea, 0xc000000000000000); wr16(ea + 8, 0xffff); if (!stopped) pop(); return; }
  let m: u64 = v < 0 ? <u64>(-v) : <u64>v;
  let lo: u64 = 0;
  for (let i: u32 = 0; i < 8; i++) { let d = m % 100; m /= 100; lo |= (((d / 10) << 4) | (d % 10)) << (<u64>i << 3); }
  let d = m % 100;
  let hi = <u32>(((d / 10) << 4) | (d % 10)) | (neg ? 0x8000 : 0);
  wr64(ea, lo); wr16(ea + 8, hi);
  if (!stopped) pop();
}

// ---- MMX ------------------------------------------------------------------

// An MMX instruction makes TOP 0 and every register valid, so mmN is the
// slot of ST(N); emms empties the tag word.
export function mmxEnter(): void { setTop(0); setTags(0xff); }
export function mmxEmpty(): void { setTags(0); }
