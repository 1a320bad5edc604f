// Lazy arithmetic flags: an operation records its kind, operands, result and
// size; CF, PF, AF, ZF, SF and OF are derived only when something reads them.
// Every other eflags bit (DF, and flags after LAZY_NONE) lives in `eflags`.

export const CF: u32 = 0x1;
export const PF: u32 = 0x4;
export const AF: u32 = 0x10;
export const ZF: u32 = 0x40;
export const SF: u32 = 0x80;
export const TF: u32 = 0x100;
export const IF: u32 = 0x200;
export const DF: u32 = 0x400;
export const OF: u32 = 0x800;
export const ARITH: u32 = CF | PF | AF | ZF | SF | OF;

// Kinds of the last flag-setting operation.
export const LAZY_NONE: u32 = 0; // all flags are in eflags
export const LAZY_ADD: u32 = 1; // res = a + b
export const LAZY_SUB: u32 = 2; // res = a - b
export const LAZY_LOGIC: u32 = 3; // CF = OF = AF = 0
export const LAZY_INC: u32 = 4; // res = a + 1, CF kept in eflags
export const LAZY_DEC: u32 = 5; // res = a - 1, CF kept in eflags
export const LAZY_RESULT: u32 = 6; // ZF/SF/PF from res; CF/OF/AF in eflags
export const LAZY_ADC: u32 = 7; // res = a + b + carry-in (carry-in in eflags CF)
export const LAZY_SBB: u32 = 8; // res = a - b - borrow-in (borrow-in in eflags CF)

export let eflags: u32 = 0x202;
export let lazyOp: u32 = LAZY_NONE;
export let lazyRes: u64 = 0;
export let lazyA: u64 = 0;
export let lazyB: u64 = 0;
export let lazySize: u32 = 4;

@inline export function sizeMask(size: u32): u64 {
  return size == 8 ? 0xffffffffffffffff : (<u64>1 << (<u64>size << 3)) - 1;
}

@inline export function signBit(size: u32): u64 {
  return <u64>1 << ((<u64>size << 3) - 1);
}

@inline export function setLazy(op: u32, size: u32, a: u64, b: u64, res: u64): void {
  if (op == LAZY_INC || op == LAZY_DEC || op == LAZY_RESULT || op == LAZY_ADC || op == LAZY_SBB) {
    // Keep the carry (or carry-in) before the lazy state is replaced.
    if (lazyOp != LAZY_NONE && op != LAZY_RESULT) eflags = (eflags & ~CF) | (getCF() ? CF : 0);
  }
  lazyOp = op;
  lazySize = size;
  lazyA = a;
  lazyB = b;
  lazyRes = res & sizeMask(size);
}

// Set CF/OF/AF explicitly and let ZF/SF/PF follow `res` (shifts, multiplies, BCD).
@inline export function setResultFlags(size: u32, res: u64, cfofaf: u32): void {
  eflags = (eflags & ~(CF | OF | AF)) | (cfofaf & (CF | OF | AF));
  lazyOp = LAZY_RESULT;
  lazySize = size;
  lazyRes = res & sizeMask(size);
}

export function getCF(): bool {
  let m = sizeMask(lazySize);
  switch (lazyOp) {
    case LAZY_ADD: return lazyRes < (lazyA & m);
    case LAZY_SUB: return (lazyA & m) < (lazyB & m);
    case LAZY_ADC: return lazyRes < (lazyA & m) || ((eflags & CF) != 0 && lazyRes == (lazyA & m));
    case LAZY_SBB: return (lazyA & m) < (lazyB & m) || ((eflags & CF) != 0 && (lazyB & m) == m) ||
                          ((eflags & CF) != 0 && (lazyA & m) == (lazyB & m));
    case LAZY_LOGIC: return false;
    default: return (eflags & CF) != 0;
  }
}

export function getOF(): bool {
  let s = signBit(lazySize);
  switch (lazyOp) {
    case LAZY_ADD: case LAZY_ADC: return ((lazyA ^ lazyRes) & (lazyB ^ lazyRes) & s) != 0;
    case LAZY_SUB: case LAZY_SBB: return ((lazyA ^ lazyB) & (lazyA ^ lazyRes) & s) != 0;
    case LAZY_INC: return lazyRes == s;
    case LAZY_DEC: return lazyRes == s - 1;
    case LAZY_LOGIC: return false;
    default: return (eflags & OF) != 0;
  }
}

export function getAF(): bool {
  switch (lazyOp) {
    case LAZY_ADD: case LAZY_SUB: case LAZY_ADC: case LAZY_SBB:
      return ((lazyA ^ lazyB ^ lazyRes) & 0x10) != 0;
    case LAZY_INC: return (lazyRes & 0xf) == 0;
    case LAZY_DEC: return (lazyRes & 0xf) == 0xf;
    case LAZY_LOGIC: return false;
    default: return (eflags & AF) != 0;
  }
}

@inline export function getZF(): bool {
  return lazyOp == LAZY_NONE ? (eflags & ZF) != 0 : lazyRes == 0;
}

@inline export function getSF(): bool {
  return lazyOp == LAZY_NONE ? (eflags & SF) != 0 : (lazyRes & signBit(lazySize)) != 0;
}

export function getPF(): bool {
  if (lazyOp == LAZY_NONE) return (eflags & PF) != 0;
  return (popcnt<u32>(<u32>lazyRes & 0xff) & 1) == 0;
}

// The architectural eflags value (bit 1 always set).
export function getFlags(): u32 {
  let f = eflags & ~ARITH;
  if (getCF()) f |= CF;
  if (getPF()) f |= PF;
  if (getAF()) f |= AF;
  if (getZF()) f |= ZF;
  if (getSF()) f |= SF;
  if (getOF()) f |= OF;
  return f | 2;
}

export function setFlags(v: u32): void {
  eflags = v | 2;
  lazyOp = LAZY_NONE;
}

// Replace only the bits in `mask` (popf in user mode, sahf, clc/stc/cmc).
export function setFlagsMasked(v: u32, mask: u32): void {
  setFlags((getFlags() & ~mask) | (v & mask));
}

export function loadFlagState(flags: u32, op: u32, size: u32, a: u64, b: u64, res: u64): void {
  eflags = flags; lazyOp = op; lazySize = size; lazyA = a; lazyB = b; lazyRes = res;
}

// x86 condition codes 0..15 (o no b ae e ne be a s ns p np l ge le g).
@inline export function cond(cc: u32): bool {
  // After cmp/sub and after logic ops (the usual producers before a jcc)
  // most conditions are a comparison of the operands or of the result.
  if (lazyOp == LAZY_SUB) {
    let sh = 64 - (<u64>lazySize << 3);
    let a = lazyA << sh, b = lazyB << sh; // the operands at the top of 64 bits
    let r: bool;
    switch (cc >> 1) {
      case 1: r = a < b; break; // b
      case 2: r = a == b; break; // e
      case 3: r = a <= b; break; // be
      case 6: r = <i64>a < <i64>b; break; // l
      case 7: r = <i64>a <= <i64>b; break; // le
      default: return condSlow(cc);
    }
    return (cc & 1) ? !r : r;
  }
  if (lazyOp == LAZY_LOGIC) {
    let sh = 64 - (<u64>lazySize << 3);
    let v = <i64>(lazyRes << sh);
    let r: bool;
    switch (cc >> 1) {
      case 0: case 1: r = false; break; // o b
      case 2: case 3: r = v == 0; break; // e be
      case 4: case 6: r = v < 0; break; // s l
      case 7: r = v <= 0; break; // le
      default: return condSlow(cc);
    }
    return (cc & 1) ? !r : r;
  }
  return condSlow(cc);
}

function condSlow(cc: u32): bool {
  let r: bool;
  switch (cc >> 1) {
    case 0: r = getOF(); break;
    case 1: r = getCF(); break;
    case 2: r = getZF(); break;
    case 3: r = getCF() || getZF(); break;
    case 4: r = getSF(); break;
    case 5: r = getPF(); break;
    case 6: r = getSF() != getOF(); break;
    default: r = getZF() || getSF() != getOF(); break;
  }
  return (cc & 1) ? !r : r;
}
