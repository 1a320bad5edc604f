// Bit instructions: bt/bts/btr/btc, bsf/bsr, bswap, popcnt, lzcnt, tzcnt.
import { AF, CF, OF, PF, SF, ZF, getFlags, setFlags, sizeMask } from "./flags";
import { rset } from "./cpu";
import { rdN, rdNW, wrN } from "./mem";
import { stopped } from "./cpu";
import { mode64 } from "./cpu";

// kind: 0 bt, 1 bts, 2 btr, 3 btc. Sets CF to the old bit; returns the new value.
// Other arithmetic flags are left as they were (the SDM calls them undefined).
export function bitOp(kind: u32, size: u32, v: u64, bit: u32): u64 {
  let m: u64 = <u64>1 << bit;
  let f = getFlags();
  setFlags((v & m) != 0 ? f | CF : f & ~CF);
  if (kind == 1) return v | m;
  if (kind == 2) return v & ~m;
  if (kind == 3) return v ^ m;
  return v;
}

// Memory forms with a register bit offset address beyond the operand:
// the signed offset selects an operand-sized unit relative to `addr`.
export function bitTestMem(kind: u32, size: u32, addr: u64, offset: u64): void {
  let w = size << 3;
  let signed = (<i64>(offset << (64 - w))) >> (64 - w);
  let unit = signed >> (size == 8 ? 6 : size == 4 ? 5 : 4);
  let a = addr + <u64>(unit * <i64>size);
  if (!mode64) a &= 0xffffffff;
  let v = kind == 0 ? rdN(size, a) : rdNW(size, a);
  if (stopped) return;
  let r = bitOp(kind, size, v, <u32>(offset & (w - 1)));
  if (kind != 0) wrN(size, a, r);
}

// bsf/bsr: ZF=1 and the destination unchanged for a zero source.
export function bsf(size: u32, reg: u32, v: u64): void {
  v &= sizeMask(size);
  let f = getFlags();
  if (v == 0) { setFlags(f | ZF); return; }
  setFlags(f & ~ZF);
  rset(size, reg, ctz<u64>(v), false);
}

export function bsr(size: u32, reg: u32, v: u64): void {
  v &= sizeMask(size);
  let f = getFlags();
  if (v == 0) { setFlags(f | ZF); return; }
  setFlags(f & ~ZF);
  rset(size, reg, 63 - clz<u64>(v), false);
}

export function byteSwap(size: u32, v: u64): u64 {
  if (size == 8) return bswap<u64>(v);
  if (size == 4) return <u64>bswap<u32>(<u32>v);
  return 0; // bswap of a 16-bit register is undefined; Intel and AMD clear it
}

// popcnt (f3 0f b8): ZF = zero source, the other arithmetic flags cleared.
export function popcount(size: u32, reg: u32, v: u64): void {
  v &= sizeMask(size);
  rset(size, reg, <u64>popcnt<u64>(v), false);
  setFlags((getFlags() & ~(CF | PF | AF | ZF | SF | OF)) | (v == 0 ? ZF : 0));
}

// lzcnt (f3 0f bd, advertised as ABM): CF = zero source, ZF = zero result.
export function lzcnt(size: u32, reg: u32, v: u64): void {
  v &= sizeMask(size);
  let n = v == 0 ? <u64>(size << 3) : <u64>clz<u64>(v) - <u64>(64 - (size << 3));
  rset(size, reg, n, false);
  setFlags((getFlags() & ~(CF | ZF)) | (v == 0 ? CF : 0) | (n == 0 ? ZF : 0));
}

// tzcnt (f3 0f bc, BMI1): CF = zero source, ZF = zero result.
export function tzcnt(size: u32, reg: u32, v: u64): void {
  v &= sizeMask(size);
  let n: u64 = v == 0 ? <u64>(size << 3) : ctz<u64>(v);
  rset(size, reg, n, false);
  setFlags((getFlags() & ~(CF | ZF)) | (v == 0 ? CF : 0) | (n == 0 ? ZF : 0));
}
