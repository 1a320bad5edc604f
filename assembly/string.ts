// String instructions (movs cmps stos lods scas) with rep/repe/repne, in both
// directions, at any operand and address size.
import { adsize, adMask, linear, rep } from "./decode";
import { DF, eflags, getZF } from "./flags";
import { mode64, rget64, rset, rset64, stopped } from "./cpu";
import { rdN, wrN } from "./mem";
import { alu, ALU_CMP } from "./alu";

const RAX: u32 = 0, RCX: u32 = 1, RSI: u32 = 6, RDI: u32 = 7;

export const STR_MOVS: u32 = 0;
export const STR_CMPS: u32 = 1;
export const STR_STOS: u32 = 2;
export const STR_LODS: u32 = 3;
export const STR_SCAS: u32 = 4;

@inline function regAddr(r: u32): u64 { return rget64(r) & adMask(); }
@inline function setRegAddr(r: u32, v: u64): void {
  if (adsize == 8) rset64(r, v);
  else rset(adsize, r, v, false);
}

// Destination operands always use ES (flat, base 0); sources honour overrides.
@inline function dstLinear(off: u64): u64 { return mode64 ? off : off & 0xffffffff; }

function once(kind: u32, size: u32, step: u64): void {
  let si = regAddr(RSI), di = regAddr(RDI);
  switch (kind) {
    case STR_MOVS: {
      let v = rdN(size, linear(si));
      wrN(size, dstLinear(di), v);
      if (stopped) return;
      setRegAddr(RSI, si + step); setRegAddr(RDI, di + step);
      break;
    }
    case STR_CMPS: {
      let a = rdN(size, linear(si));
      let b = rdN(size, dstLinear(di));
      if (stopped) return;
      alu(ALU_CMP, size, a, b);
      setRegAddr(RSI, si + step); setRegAddr(RDI, di + step);
      break;
    }
    case STR_STOS: {
      wrN(size, dstLinear(di), rget64(RAX));
      if (stopped) return;
      setRegAddr(RDI, di + step);
      break;
    }
    case STR_LODS: {
      let v = rdN(size, linear(si));
      if (stopped) return;
      rset(size, RAX, v, false);
      setRegAddr(RSI, si + step);
      break;
    }
    default: { // scas
      let b = rdN(size, dstLinear(di));
      if (stopped) return;
      alu(ALU_CMP, size, rget64(RAX), b);
      setRegAddr(RDI, di + step);
    }
  }
}

// Runs the whole repetition inside one instruction; a fault leaves the
// registers describing the work done so far, as on a real CPU.
export function stringOp(kind: u32, size: u32): void {
  let step: u64 = (eflags & DF) ? <u64>(0 - size) : <u64>size;
  if (!rep) { once(kind, size, step); return; }
  let compares = kind == STR_CMPS || kind == STR_SCAS;
  while (true) {
    let n = regAddr(RCX);
    if (n == 0) return;
    once(kind, size, step);
    if (stopped) return;
    setRegAddr(RCX, n - 1);
    if (compares) {
      let z = getZF();
      if (rep == 0xf3 ? !z : z) return;
    }
  }
}

