// VEX-encoded general-register instructions: BMI1 (andn, bextr, blsi,
// blsmsk, blsr) and BMI2 (bzhi, mulx, pdep, pext, rorx, sarx, shlx, shrx).
// Every other VEX encoding (AVX) is #UD, since CPUID advertises no AVX.
import { REASON_UD } from "./layout";
import { fault, invalidOpcode, ip, mode64, rget, rset, setIp, stopped } from "./cpu";
import { decodeModrm, ea, fetch8, lockPrefix, mod, opsizePrefix, peek8, reg, rep, rexPresent, rm, setVexRex } from "./decode";
import { rdN } from "./mem";
import { CF, OF, SF, ZF, getFlags, setFlags, sizeMask } from "./flags";

const RDX: u32 = 2;

// c4 (three-byte) or c5 (two-byte) VEX prefix. Outside 64-bit mode they are
// les/lds unless the next byte's top two bits are 11 (les/lds stay #UD here).
export function vex(op: u32): void {
  let b1 = peek8();
  if (!mode64 && (b1 >> 6) != 3) { fault(REASON_UD); return; }
  setIp(ip + 1);
  // A VEX prefix after 66, f2, f3, REX or LOCK is #UD.
  if (lockPrefix || opsizePrefix || rep != 0 || rexPresent) { invalidOpcode(); return; }
  let map: u32 = 1, w: u32 = 0, x: u32 = ~b1 >> 6 & 1, b: u32 = 0, b2 = b1;
  if (op == 0xc4) {
    b2 = fetch8();
    map = b1 & 31; w = b2 >> 7; b = ~b1 >> 5 & 1;
  } else x = 0;
  let r: u32 = ~b1 >> 7 & 1, v: u32 = ~b2 >> 3 & 15, l = (b2 >> 2) & 1, pp = b2 & 3;
  if (!mode64) { r = 0; x = 0; b = 0; w = 0; v &= 7; }
  setVexRex((w << 3) | (r << 2) | (x << 1) | b);
  let opc = fetch8();
  let size: u32 = w ? 8 : 4;
  if (l != 0) { // these are all VEX.L0: L1 is an invalid encoding of them
    if (map == 2 && opc >= 0xf2 && opc <= 0xf7) invalidOpcode(); else fault(REASON_UD);
    return;
  }
  if (map == 2) {
    switch (opc) {
      case 0xf2: if (pp == 0) { andn(size, v); return; } break;
      case 0xf3: if (pp == 0) { group17(size, v); return; } break;
      case 0xf5: if (pp != 1) { bzhiPdepPext(pp, size, v); return; } break;
      case 0xf6: if (pp == 3) { mulx(size, v); return; } break;
      case 0xf7: { if (pp == 0) bextr(size, v); else shiftX(pp, size, v); return; }
    }
  } else if (map == 3 && opc == 0xf0 && pp == 3) { rorx(size); return; }
  fault(REASON_UD);
}

// The r/m source, after decoding ModRM.
function src(size: u32, immLen: u32): u64 {
  decodeModrm(immLen);
  return mod == 3 ? rget(size, rm, false) : rdN(size, ea);
}

// CF and OF as given, ZF and SF from the result (AF and PF are undefined: kept).
function logicFlags(size: u32, res: u64, cf: bool, sf: bool): void {
  let f = getFlags() & ~(CF | OF | ZF | SF);
  if (cf) f |= CF;
  if ((res & sizeMask(size)) == 0) f |= ZF;
  if (sf && ((res >> ((<u64>size << 3) - 1)) & 1) != 0) f |= SF;
  setFlags(f);
}

function andn(size: u32, v: u32): void {
  let s = src(size, 0);
  if (stopped) return;
  let r = ~rget(size, v, false) & s & sizeMask(size);
  rset(size, reg, r, false);
  logicFlags(size, r, false, true);
}

// blsr (/1), blsmsk (/2), blsi (/3): the destination is vvvv.
function group17(size: u32, v: u32): void {
  let s = src(size, 0);
  if (stopped) return;
  let k = reg & 7;
  let m = sizeMask(size);
  let r: u64;
  if (k == 1) r = s & (s - 1);
  else if (k == 2) r = s ^ (s - 1);
  else if (k == 3) r = s & (0 - s);
  else { fault(REASON_UD); return; }
  r &= m;
  rset(size, v, r, false);
  logicFlags(size, r, k == 3 ? s != 0 : s == 0, true);
}

// bextr: len = ctl[15:8] bits from start = ctl[7:0].
function bextr(size: u32, v: u32): void {
  let s = src(size, 0);
  if (stopped) return;
  let ctl = rget(size, v, false);
  let start = ctl & 0xff, len = (ctl >> 8) & 0xff, bits = <u64>size << 3;
  let r: u64 = start >= bits ? 0 : s >> start;
  if (len < 64) r &= (<u64>1 << len) - 1;
  rset(size, reg, r, false);
  logicFlags(size, r, false, false);
}

// bzhi (pp 0), pext (pp 2, f3), pdep (pp 3, f2).
function bzhiPdepPext(pp: u32, size: u32, v: u32): void {
  let s = src(size, 0);
  if (stopped) return;
  let a = rget(size, v, false);
  if (pp == 0) { // bzhi: bits of the source below index a[7:0]
    let n = a & 0xff, bits = <u64>size << 3;
    let r = n < bits ? s & ((<u64>1 << n) - 1) : s;
    rset(size, reg, r, false);
    logicFlags(size, r, n > bits - 1, true);
    return;
  }
  // vvvv holds the value, r/m the mask
  let r: u64 = 0, k: u64 = 0;
  for (let m = s; m != 0; m &= m - 1, k++) {
    let bit = m & (0 - m);
    if (pp == 3) { if ((a >> k) & 1) r |= bit; } // pdep: low bits of the value to the mask's positions
    else if (a & bit) r |= <u64>1 << k; // pext: the mask's positions packed to the low bits
  }
  rset(size, reg, r, false);
}

// mulx: edx/rdx times r/m, unsigned, high half to reg and low half to vvvv; no flags.
function mulx(size: u32, v: u32): void {
  let s = src(size, 0);
  if (stopped) return;
  let d = rget(size, RDX, false);
  let lo: u64, hi: u64;
  if (size == 4) { let p = s * d; lo = p & 0xffffffff; hi = p >> 32; }
  else {
    let al = s & 0xffffffff, ah = s >> 32, bl = d & 0xffffffff, bh = d >> 32;
    let ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    let mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
    lo = (ll & 0xffffffff) | (mid << 32);
    hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  }
  rset(size, v, lo, false);
  rset(size, reg, hi, false); // reg wins when both name the same register
}

// shlx (66), sarx (f3), shrx (f2): count from vvvv, masked to the size; no flags.
function shiftX(pp: u32, size: u32, v: u32): void {
  let s = src(size, 0);
  if (stopped) return;
  let n = rget(size, v, false) & ((<u64>size << 3) - 1);
  let r: u64;
  if (pp == 1) r = s << n;
  else if (pp == 3) r = s >> n;
  else r = size == 8 ? <u64>(<i64>s >> <i64>n) : <u64>(<u32>(<i32><u32>s >> <i32>n));
  rset(size, reg, r & sizeMask(size), false);
}

// rorx: rotate right by imm8; no flags.
function rorx(size: u32): void {
  let s = src(size, 1);
  let n = <u64>fetch8() & ((<u64>size << 3) - 1);
  if (stopped) return;
  let r = size == 8 ? rotr<u64>(s, n) : <u64>rotr<u32>(<u32>s, <u32>n);
  rset(size, reg, r, false);
}
