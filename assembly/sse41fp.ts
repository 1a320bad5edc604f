// SSE4.1 floating point (66 0f3a): roundps/pd/ss/sd, dpps/dppd, insertps.
// Lanes go through the soft-float under MXCSR, as in ssefp.ts.
import { stopped } from "./cpu";
import { decodeModrm, ea, fetch8, mod, reg, rm } from "./decode";
import { rd32 } from "./mem";
import { mxcsr, xget, xmmAddr, xset, xsrc, xsrc32, xsrc64 } from "./sse";
import { begin, finish, laneBegin, laneEnd } from "./ssefp";
import {
  EX_D, EX_P, F32_EMAX, F32_EMIN, F64_EMAX, F64_EMIN, dropExc, fadd, fmul, pack32, pack64, rToA, rToB,
  roundToIntegral, unpack32, unpack64,
} from "./softfloat";

const OUT: usize = memory.data(16);

// roundps (08) roundpd (09) roundss (0a) roundsd (0b): imm8 bits 1:0 the
// rounding mode, bit 2 "use MXCSR.RC instead", bit 3 "no precision exception".
// Only SNaN (I) and inexact (P) are signalled; a denormal raises no D.
export function roundFp(op: u32): void {
  let scalar = op >= 0x0a, dbl = (op & 1) != 0;
  decodeModrm(1);
  let b = scalar ? i64x2.splat(dbl ? xsrc64() : <u64>xsrc32()) : xsrc(true);
  let imm = fetch8();
  if (stopped) return;
  v128.store(OUT, scalar ? xget(reg) : b);
  if (scalar) { if (dbl) store<u64>(OUT, i64x2.extract_lane(b, 0)); else store<u32>(OUT, <u32>i32x4.extract_lane(b, 0)); }
  begin();
  let mode = (imm & 4) != 0 ? (mxcsr() >> 13) & 3 : imm & 3;
  let n: u32 = scalar ? 1 : dbl ? 2 : 4;
  for (let i: u32 = 0; i < n; i++) {
    if (dbl) unpack64(load<u64>(OUT + (i << 3))); else unpack32(load<u32>(OUT + (i << 2)));
    rToA();
    roundToIntegral(mode);
    if (dbl) store<u64>(OUT + (i << 3), pack64()); else store<u32>(OUT + (i << 2), pack32());
  }
  dropExc(EX_D);
  if (imm & 8) dropExc(EX_P);
  if (finish()) xset(reg, v128.load(OUT));
}

// One multiply or add of the dot products, rounded to the format like mulss/addss.
function op2(mul: bool, dbl: bool, x: u64, y: u64): u64 {
  laneBegin();
  if (dbl) { unpack64(x); rToA(); unpack64(y); rToB(); } else { unpack32(<u32>x); rToA(); unpack32(<u32>y); rToB(); }
  let prec: i32 = dbl ? 53 : 24, emin = dbl ? F64_EMIN : F32_EMIN, emax = dbl ? F64_EMAX : F32_EMAX;
  if (mul) fmul(prec, emin, emax); else fadd(false, prec, emin, emax);
  let r: u64 = dbl ? pack64() : <u64>pack32();
  laneEnd();
  return r;
}

// dpps (40) / dppd (41): products of the lanes imm8[7:4] selects (+0.0 for
// the others), summed pairwise with a rounding after each step, the sum
// written to the lanes imm8[3:0] selects and +0.0 to the rest.
export function dotProduct(op: u32): void {
  let dbl = op == 0x41;
  decodeModrm(1);
  let b = xsrc(true);
  let imm = fetch8();
  if (stopped) return;
  let a = xget(reg);
  begin();
  let sum: u64;
  if (dbl) {
    let p0: u64 = (imm & 0x10) ? op2(true, true, i64x2.extract_lane(a, 0), i64x2.extract_lane(b, 0)) : 0;
    let p1: u64 = (imm & 0x20) ? op2(true, true, i64x2.extract_lane(a, 1), i64x2.extract_lane(b, 1)) : 0;
    sum = op2(false, true, p0, p1);
  } else {
    let p0: u64 = (imm & 0x10) ? op2(true, false, <u32>i32x4.extract_lane(a, 0), <u32>i32x4.extract_lane(b, 0)) : 0;
    let p1: u64 = (imm & 0x20) ? op2(true, false, <u32>i32x4.extract_lane(a, 1), <u32>i32x4.extract_lane(b, 1)) : 0;
    let p2: u64 = (imm & 0x40) ? op2(true, false, <u32>i32x4.extract_lane(a, 2), <u32>i32x4.extract_lane(b, 2)) : 0;
    let p3: u64 = (imm & 0x80) ? op2(true, false, <u32>i32x4.extract_lane(a, 3), <u32>i32x4.extract_lane(b, 3)) : 0;
    sum = op2(false, false, op2(false, false, p0, p1), op2(false, false, p2, p3));
  }
  let n: u32 = dbl ? 2 : 4;
  for (let i: u32 = 0; i < n; i++) {
    let on = ((imm >> i) & 1) != 0;
    if (dbl) store<u64>(OUT + (i << 3), on ? sum : 0); else store<u32>(OUT + (i << 2), on ? <u32>sum : 0);
  }
  if (finish()) xset(reg, v128.load(OUT));
}

// insertps: a single from the source (imm8[7:6] picks it from a register) into
// lane imm8[5:4], then the lanes in imm8[3:0] cleared.
export function insertps(): void {
  decodeModrm(1);
  let m = mod == 3 ? 0 : rd32(ea);
  let imm = fetch8();
  if (stopped) return;
  let v: u32 = mod == 3 ? load<u32>(xmmAddr(rm) + ((imm >> 6) << 2)) : m;
  let d = xmmAddr(reg);
  store<u32>(d + (((imm >> 4) & 3) << 2), v);
  for (let i: u32 = 0; i < 4; i++) if ((imm >> i) & 1) store<u32>(d + (i << 2), 0);
}
