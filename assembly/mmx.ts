// MMX: the no-prefix forms of the packed-integer opcodes on mm0..mm7, the low
// 64 bits of the x87 physical registers (SSE's additions to MMX included:
// pshufw, pinsrw, pextrw, pmovmskb, maskmovq, movntq, paddq, pmuludq...).
// Each operation runs the SSE code on a v128 holding the operand in its low
// half and keeps the low half; packs and high unpacks arrange their lanes.
// cvtpi2ps & co are in ssefp.ts, the SSSE3 MMX forms in ssse3.ts.
import { CPU_FPU, FX_ST, REASON_UD } from "./layout";
import { cpu, fault, rget, rget64, rset, rset32, stopped } from "./cpu";
import { adMask, decodeModrm, ea, fetch8, linear, mod, opsize, reg, rm } from "./decode";
import { rd16, rd64, rdN, wr64, wr8, wrN } from "./mem";
import { packedInt, pshift, shiftKind, shuffleImm, PFX_F2, xmmAddr } from "./sse";
import { mmxEmpty, mmxEnter } from "./x87";

const ZERO: v128 = i64x2.splat(0);

@inline function mmAddr(i: u32): usize { return cpu + CPU_FPU + FX_ST + (<usize>(i & 7) << 4); }
@inline export function mmGet(i: u32): u64 { return load<u64>(mmAddr(i)); }
// Writing an MMX register sets the x87 exponent field to all ones, as the CPU does.
export function mmSet(i: u32, v: u64): void { store<u64>(mmAddr(i), v); store<u16>(mmAddr(i) + 8, 0xffff); }
@inline function v(x: u64): v128 { return i64x2.replace_lane(ZERO, 0, x); }
@inline function lo(x: v128): u64 { return i64x2.extract_lane(x, 0); }
@inline function hi(x: v128): u64 { return i64x2.extract_lane(x, 1); }

// The r/m operand: an MMX register or 64 bits of memory (no alignment rule).
function src(): u64 { return mod == 3 ? mmGet(rm) : rd64(ea); }

// The no-prefix opcodes that name MMX registers (the others there are #UD).
export function isMmxOp(op: u32): bool {
  if (op == 0x6c || op == 0x6d || (op >= 0x78 && op <= 0x7d) || op == 0xd6 || op == 0xe6 || op == 0xf0 || op == 0xff) return false;
  return (op >= 0x60 && op <= 0x7f) || op == 0xc4 || op == 0xc5 || op >= 0xd1;
}

// op: the second opcode byte; pfx is none, except f2/f3 0f d6 (movdq2q, movq2dq).
export function mmxOp(op: u32, pfx: u32): void {
  if (op == 0x77) { mmxEmpty(); return; } // emms
  decodeModrm(op == 0x70 || op == 0x71 || op == 0x72 || op == 0x73 || op == 0xc4 || op == 0xc5 ? 1 : 0);
  mmxEnter();
  switch (op) {
    case 0x6e: { // movd/movq mm, r/m
      let size: u32 = opsize == 8 ? 8 : 4;
      let x = mod == 3 ? rget(size, rm, false) : rdN(size, ea);
      if (!stopped) mmSet(reg, x);
      return;
    }
    case 0x7e: { let size: u32 = opsize == 8 ? 8 : 4; if (mod == 3) rset(size, rm, mmGet(reg), false); else wrN(size, ea, mmGet(reg)); return; }
    case 0x6f: { let x = src(); if (!stopped) mmSet(reg, x); return; }
    case 0x7f: { if (mod == 3) mmSet(rm, mmGet(reg)); else wr64(ea, mmGet(reg)); return; }
    case 0xe7: { if (mod == 3) { fault(REASON_UD); return; } wr64(ea, mmGet(reg)); return; } // movntq
    case 0xd6: { // movdq2q mm, xmm / movq2dq xmm, mm
      if (mod != 3) { fault(REASON_UD); return; }
      if (pfx == PFX_F2) mmSet(reg, load<u64>(xmmAddr(rm)));
      else { store<u64>(xmmAddr(reg), mmGet(rm & 7)); store<u64>(xmmAddr(reg) + 8, 0); }
      return;
    }
    case 0x70: { let x = src(); let imm = fetch8(); if (!stopped) mmSet(reg, lo(shuffleImm(v(x), imm, PFX_F2))); return; } // pshufw
    case 0x71: case 0x72: case 0x73: {
      let n = fetch8();
      let kind = shiftKind(op, reg & 7);
      if (mod != 3 || kind < 0) { fault(REASON_UD); return; } // psrldq/pslldq have no MMX form
      mmSet(rm, lo(pshift(kind, v(mmGet(rm)), <u64>n)));
      return;
    }
    case 0xd1: case 0xd2: case 0xd3: case 0xe1: case 0xe2: case 0xf1: case 0xf2: case 0xf3: {
      let c = src();
      if (stopped) return;
      let kind: i32 = op < 0xe0 ? <i32>(op - 0xd1) : op < 0xf0 ? <i32>(op - 0xe1 + 3) : <i32>(op - 0xf1 + 5);
      mmSet(reg, lo(pshift(kind, v(mmGet(reg)), c)));
      return;
    }
    case 0xc4: { // pinsrw mm, r32/m16, imm
      let x: u64 = mod == 3 ? <u64>(<u32>rget64(rm) & 0xffff) : <u64>rd16(ea);
      let i = (fetch8() & 3) << 4;
      if (!stopped) mmSet(reg, (mmGet(reg) & ~(<u64>0xffff << i)) | (x << i));
      return;
    }
    case 0xc5: { // pextrw r32, mm, imm
      let i = (fetch8() & 3) << 4;
      if (mod != 3) { fault(REASON_UD); return; }
      rset32(reg, <u32>((mmGet(rm) >> i) & 0xffff));
      return;
    }
    case 0xd7: { if (mod != 3) { fault(REASON_UD); return; } rset32(reg, <u32>i8x16.bitmask(v(mmGet(rm))) & 0xff); return; }
    case 0xf7: { // maskmovq: bytes of reg where rm's mask byte has its top bit, to [rdi]
      if (mod != 3) { fault(REASON_UD); return; }
      let dst = linear(rget64(7) & adMask());
      let m = mmGet(rm), s = mmGet(reg);
      for (let i: u64 = 0; i < 8 && !stopped; i++) if ((m >> (i * 8 + 7)) & 1) wr8(dst + i, <u32>(s >> (i * 8)) & 0xff);
      return;
    }
  }
  let b = src();
  if (stopped) return;
  let a = mmGet(reg);
  let r: u64;
  if (op == 0x63 || op == 0x67 || op == 0x6b) r = lo(packedInt(op, i64x2.replace_lane(v(a), 1, b), ZERO));
  else if (op >= 0x68 && op <= 0x6a) r = hi(packedInt(op - 8, v(a), v(b)));
  else r = lo(packedInt(op, v(a), v(b)));
  if (!stopped) mmSet(reg, r);
}
