// The eight classic ALU operations (add or adc sbb and sub xor cmp) at any
// operand size, plus inc/dec/neg: compute the result and record lazy flags.
import {
  LAZY_ADC, LAZY_ADD, LAZY_DEC, LAZY_INC, LAZY_LOGIC, LAZY_SBB, LAZY_SUB, getCF, setLazy, sizeMask,
} from "./flags";

export const ALU_ADD: u32 = 0;
export const ALU_OR: u32 = 1;
export const ALU_ADC: u32 = 2;
export const ALU_SBB: u32 = 3;
export const ALU_AND: u32 = 4;
export const ALU_SUB: u32 = 5;
export const ALU_XOR: u32 = 6;
export const ALU_CMP: u32 = 7;

// Result of `a op b` masked to size (for CMP: a - b, which the caller discards).
export function alu(op: u32, size: u32, a: u64, b: u64): u64 { return aluOp(op, size, a, b); }

// The same, inlined where the operation is known or the form is hot.
@inline export function aluOp(op: u32, size: u32, a: u64, b: u64): u64 {
  let m = sizeMask(size);
  a &= m; b &= m;
  let r: u64;
  switch (op) {
    case ALU_ADD: r = a + b; setLazy(LAZY_ADD, size, a, b, r); break;
    case ALU_OR: r = a | b; setLazy(LAZY_LOGIC, size, a, b, r); break;
    case ALU_ADC: { let c: u64 = getCF() ? 1 : 0; r = a + b + c; setLazy(LAZY_ADC, size, a, b, r); break; }
    case ALU_SBB: { let c: u64 = getCF() ? 1 : 0; r = a - b - c; setLazy(LAZY_SBB, size, a, b, r); break; }
    case ALU_AND: r = a & b; setLazy(LAZY_LOGIC, size, a, b, r); break;
    case ALU_XOR: r = a ^ b; setLazy(LAZY_LOGIC, size, a, b, r); break;
    default: r = a - b; setLazy(LAZY_SUB, size, a, b, r); break; // SUB, CMP
  }
  return r & m;
}

export function inc(size: u32, a: u64): u64 {
  let r = (a + 1) & sizeMask(size);
  setLazy(LAZY_INC, size, a, 1, r);
  return r;
}

export function dec(size: u32, a: u64): u64 {
  let r = (a - 1) & sizeMask(size);
  setLazy(LAZY_DEC, size, a, 1, r);
  return r;
}

export function neg(size: u32, a: u64): u64 {
  let r = (0 - a) & sizeMask(size);
  setLazy(LAZY_SUB, size, 0, a, r);
  return r;
}
