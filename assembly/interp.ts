// The decode/execute loop: one switch over the one-byte opcode map and one
// over the 0x0f map. Handlers for larger families live in their own files.
import {
  CPU_FLAGS, CPU_ICOUNT, CPU_LAZY_A, CPU_LAZY_B, CPU_LAZY_OP, CPU_LAZY_RES, CPU_LAZY_SIZE, CPU_AS,
  CPU_RIP, CPU_REASON, PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, REASON_BREAKPOINT, REASON_BUDGET, REASON_GP, REASON_INT80, REASON_SYSCALL,
  REASON_UD, ICACHE_ENTRY_SHIFT,
} from "./layout";
import {
  cpu, fault, faulted, insnStart, invalidOpcode, ip, mode64, rget, rget32, rget64, rset, rset32, rset64, setCpu,
  setInsnStart, setIp, setVector, stop, stopped, clearStop,
} from "./cpu";
import {
  adMask, adsize, checkFetchLimit, decodeModrm, modrm, decodePrefixes, ea, fetch16, fetch32, fetch64,
  fetch8, imm8s, immz, lockPrefix, mod, opsize, peek8, prepareFetch, reg, rep, rex, rexPresent, rm,
  segBase, stackOpsize, sx16, sx32, sx8, linear, resetPrefixes, codeEntries, codeKey,
} from "./decode";
import { E_H, E_TAG, H_GENERIC, predecode } from "./icache";
import { branched, clearBranched, execEntry } from "./fast";
import { E_BLOCK, E_HOT, noteBranchTarget } from "./jit";
import { rd16, rd32, rdN, rdNW, wr16, wr32, wrN } from "./mem";
import { codeTag, curAs, tlbUse } from "./tlb";
import {
  AF, CF, DF, LAZY_LOGIC, OF, PF, SF, ZF, cond, eflags, getCF, getFlags, getOF, lazyA, lazyB, lazyOp,
  lazyRes, lazySize, loadFlagState, setFlags, setFlagsMasked, setLazy, sizeMask,
} from "./flags";
import { alu, aluOp, ALU_CMP, dec, inc, neg } from "./alu";
import { shiftCount, shiftOp, shld, shrd } from "./shift";
import { div1, idiv1, imul1, imul2, mul1 } from "./muldiv";
import { STR_CMPS, STR_LODS, STR_MOVS, STR_SCAS, STR_STOS, stringOp } from "./string";
import { bitOp, bsf, bsr, byteSwap, bitTestMem, lzcnt, popcount, tzcnt } from "./bits";
import { bcd } from "./bcd";
import { cpuid, group7, rdpid, rdtsc } from "./cpuid";
import { vex } from "./bmi";
import { addRetired } from "./counters";
import { loadSegment, storeSegment } from "./segments";
import { sseOp } from "./sse";
import { escape0f38, escape0f3a } from "./ssex";
import { fpuOp, fwait } from "./x87";
import { pop, push, spGet, spSet, stackAddr } from "./stack";

const RAX: u32 = 0, RCX: u32 = 1, RDX: u32 = 2, RBX: u32 = 3, RSP: u32 = 4, RBP: u32 = 5;

// Flags popf may change in user mode: CF PF AF ZF SF TF DF OF NT AC ID.
const POPF_MASK: u32 = 0x254dd5;

// ---- operands -------------------------------------------------------------

@inline function rmGet(size: u32): u64 {
  return mod == 3 ? rget(size, rm, rexPresent) : rdN(size, ea);
}
// The destination of a read-modify-write: a memory operand faults as a write.
@inline function rmGetRW(size: u32): u64 {
  return mod == 3 ? rget(size, rm, rexPresent) : rdNW(size, ea);
}
@inline function rmSet(size: u32, v: u64): void {
  if (mod == 3) rset(size, rm, v, rexPresent); else wrN(size, ea, v);
}
@inline function regGet(size: u32): u64 { return rget(size, reg, rexPresent); }
@inline function regSet(size: u32, v: u64): void { rset(size, reg, v, rexPresent); }

// ---- control flow ---------------------------------------------------------

@inline function jumpTo(target: u64, size: u32): void {
  setIp(size == 8 ? target : target & sizeMask(size));
}

@inline function jumpRel(rel: u64): void {
  jumpTo(ip + rel, mode64 ? 8 : opsize);
}

// Count register for loop/jecxz/rep by address size.
@inline function countGet(): u64 { return rget64(RCX) & adMask(); }
function countSet(v: u64): void {
  if (adsize == 8) rset64(RCX, v); else rset(adsize, RCX, v, false);
}

// ---- one instruction ------------------------------------------------------

function aluForm(op: u32, form: u32): void {
  switch (form) {
    case 0: { modrm(0); let r = aluOp(op, 1, op == ALU_CMP ? rmGet(1) : rmGetRW(1), regGet(1)); if (op != ALU_CMP) rmSet(1, r); break; }
    case 1: { modrm(0); let r = aluOp(op, opsize, op == ALU_CMP ? rmGet(opsize) : rmGetRW(opsize), regGet(opsize)); if (op != ALU_CMP) rmSet(opsize, r); break; }
    case 2: { modrm(0); let v = rmGet(1); if (stopped) return; let r = aluOp(op, 1, regGet(1), v); if (op != ALU_CMP) regSet(1, r); break; }
    case 3: { modrm(0); let v = rmGet(opsize); if (stopped) return; let r = aluOp(op, opsize, regGet(opsize), v); if (op != ALU_CMP) regSet(opsize, r); break; }
    case 4: { let r = aluOp(op, 1, rget(1, RAX, false), <u64>fetch8()); if (op != ALU_CMP) rset(1, RAX, r, false); break; }
    default: { let r = aluOp(op, opsize, rget(opsize, RAX, false), immz(opsize)); if (op != ALU_CMP) rset(opsize, RAX, r, false); break; }
  }
}

// Group 3 (f6/f7): test not neg mul imul div idiv.
function group3(size: u32): void {
  decodeModrm(reg3ImmLen(size));
  switch (reg & 7) {
    case 0: case 1: { let v = rmGet(size); alu(4, size, v, size == 1 ? <u64>fetch8() : immz(size)); break; }
    case 2: { let v = rmGetRW(size); if (!stopped) rmSet(size, ~v); break; }
    case 3: { let v = rmGetRW(size); if (stopped) return; rmSet(size, neg(size, v)); break; }
    case 4: { let v = rmGet(size); if (!stopped) mul1(size, v); break; }
    case 5: { let v = rmGet(size); if (!stopped) imul1(size, v); break; }
    case 6: { let v = rmGet(size); if (!stopped) div1(size, v); break; }
    default: { let v = rmGet(size); if (!stopped) idiv1(size, v); break; }
  }
}

// test in group 3 carries an immediate; the ModRM decoder needs its length
// for RIP-relative operands, so peek at the reg field first.
function reg3ImmLen(size: u32): u32 {
  if (((peek8() >> 3) & 7) > 1) return 0;
  return size == 8 ? 4 : size;
}

function group5(): void {
  decodeModrm(0);
  switch (reg & 7) {
    case 0: { let v = rmGetRW(opsize); if (!stopped) rmSet(opsize, inc(opsize, v)); break; }
    case 1: { let v = rmGetRW(opsize); if (!stopped) rmSet(opsize, dec(opsize, v)); break; }
    case 2: { // call near indirect
      let size = stackOpsize();
      let t = rmGet(size);
      if (stopped) return;
      push(size, ip);
      if (!stopped) jumpTo(t, size);
      break;
    }
    case 4: { let size = stackOpsize(); let t = rmGet(size); if (!stopped) jumpTo(t, size); break; }
    case 6: { let size = stackOpsize(); let v = rmGet(size); if (!stopped) push(size, v); break; }
    default: fault(REASON_UD); // far call/jmp, and /7
  }
}

@inline function step(): void {
  let op = decodePrefixes();
  if (op < 0x40 && (op & 7) < 6) { aluForm(op >> 3, op & 7); return; }
  switch (op) {
    case 0x0f: twoByte(); return;
    case 0x27: case 0x2f: case 0x37: case 0x3f:
      if (mode64) fault(REASON_UD); else bcd(op, 0);
      return;
    case 0x06: case 0x0e: case 0x16: case 0x1e: // push es/cs/ss/ds
      if (mode64) { fault(REASON_UD); return; }
      push(opsize, <u64>storeSegment((op >> 3) & 3));
      return;
    case 0x07: case 0x17: case 0x1f: { // pop es/ss/ds
      if (mode64) { fault(REASON_UD); return; }
      let v = pop(opsize);
      if (!stopped) loadSegment((op >> 3) & 3, <u32>v);
      return;
    }
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
      rset(opsize, op & 7, inc(opsize, rget(opsize, op & 7, false)), false);
      return;
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
      rset(opsize, op & 7, dec(opsize, rget(opsize, op & 7, false)), false);
      return;
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57: {
      let size = stackOpsize();
      push(size, rget(size, (op & 7) | ((rex & 1) << 3), false));
      return;
    }
    case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f: {
      let size = stackOpsize();
      let v = pop(size);
      if (!stopped) rset(size, (op & 7) | ((rex & 1) << 3), v, false);
      return;
    }
    case 0x60: { // pusha
      if (mode64) { fault(REASON_UD); return; }
      let sp = rget(opsize, RSP, false);
      for (let r: u32 = 0; r < 8 && !stopped; r++) push(opsize, r == RSP ? sp : rget(opsize, r, false));
      return;
    }
    case 0x61: { // popa
      if (mode64) { fault(REASON_UD); return; }
      for (let r: i32 = 7; r >= 0 && !stopped; r--) {
        let v = pop(opsize);
        if (r != <i32>RSP && !stopped) rset(opsize, r, v, false);
      }
      return;
    }
    case 0x62: { // bound: #BR (reported as #GP, vector 5) when the index is outside [lower, upper]
      if (mode64) { fault(REASON_UD); return; }
      decodeModrm(0);
      if (mod == 3) { fault(REASON_UD); return; }
      let lo = rdN(opsize, ea), hi = rdN(opsize, ea + opsize);
      if (stopped) return;
      let sh = 64 - (opsize << 3);
      let v = <i64>(regGet(opsize) << sh) >> sh;
      if (v < <i64>(lo << sh) >> sh || v > <i64>(hi << sh) >> sh) { setVector(5); fault(REASON_GP); }
      return;
    }
    case 0x63: // movsxd (arpl outside long mode)
      if (!mode64) { fault(REASON_UD); return; }
      decodeModrm(0);
      { let v = rmGet(4); if (!stopped) regSet(opsize, opsize == 8 ? sx32(<u32>v) : v); }
      return;
    case 0x68: { let s = stackOpsize(); push(s, immz(s) & sizeMask(s)); return; }
    case 0x6a: push(stackOpsize(), imm8s() & sizeMask(stackOpsize())); return;
    case 0x69: case 0x6b: {
      decodeModrm(op == 0x6b ? 1 : (opsize == 2 ? 2 : 4));
      let v = rmGet(opsize);
      let imm = op == 0x6b ? imm8s() : immz(opsize);
      if (!stopped) regSet(opsize, imul2(opsize, v, imm));
      return;
    }
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f: {
      let rel = imm8s();
      if (cond(op & 15)) jumpRel(rel);
      return;
    }
    case 0x80: case 0x82: { // group 1, Eb, Ib
      if (op == 0x82 && mode64) { fault(REASON_UD); return; }
      modrm(1);
      let v = (reg & 7) == ALU_CMP ? rmGet(1) : rmGetRW(1);
      let r = alu(reg & 7, 1, v, <u64>fetch8());
      if ((reg & 7) != ALU_CMP && !stopped) rmSet(1, r);
      return;
    }
    case 0x81: case 0x83: {
      modrm(op == 0x83 ? 1 : (opsize == 2 ? 2 : 4));
      let v = (reg & 7) == ALU_CMP ? rmGet(opsize) : rmGetRW(opsize);
      let imm = op == 0x83 ? imm8s() : immz(opsize);
      if (stopped) return;
      let r = alu(reg & 7, opsize, v, imm);
      if ((reg & 7) != ALU_CMP) rmSet(opsize, r);
      return;
    }
    case 0x84: { modrm(0); let v = rmGet(1); alu(4, 1, v, regGet(1)); return; }
    case 0x85: { modrm(0); let v = rmGet(opsize); alu(4, opsize, v, regGet(opsize)); return; }
    case 0x86: case 0x87: { // xchg
      let size: u32 = op == 0x86 ? 1 : opsize;
      decodeModrm(0);
      let v = rmGetRW(size);
      if (stopped) return;
      rmSet(size, regGet(size));
      if (!stopped) regSet(size, v);
      return;
    }
    case 0x88: decodeModrm(0); rmSet(1, regGet(1)); return;
    case 0x89: // mov Ev, Gv (32-bit operands without the size dispatch)
      modrm(0);
      if (opsize != 4) { rmSet(opsize, regGet(opsize)); return; }
      if (mod == 3) rset32(rm, rget32(reg)); else wr32(ea, rget32(reg));
      return;
    case 0x8a: { decodeModrm(0); let v = rmGet(1); if (!stopped) regSet(1, v); return; }
    case 0x8b: { // mov Gv, Ev
      modrm(0);
      if (opsize != 4) { let v = rmGet(opsize); if (!stopped) regSet(opsize, v); return; }
      let v = mod == 3 ? rget32(rm) : rd32(ea);
      if (!stopped) rset32(reg, v);
      return;
    }
    case 0x8c: { // mov Ev, Sreg
      decodeModrm(0);
      let v = <u64>storeSegment(reg & 7);
      if (mod == 3) rset(opsize, rm, v, false); else wr16(ea, <u32>v);
      return;
    }
    case 0x8d: { // lea: the offset only, without segment base
      modrm(0);
      if (mod == 3) { fault(REASON_UD); return; }
      regSet(opsize, (ea - segBase) & sizeMask(opsize));
      return;
    }
    case 0x8e: { // mov Sreg, Ew
      decodeModrm(0);
      let v = mod == 3 ? <u32>rget(2, rm, false) : rd16(ea);
      if (!stopped) loadSegment(reg & 7, v);
      return;
    }
    case 0x8f: { // pop Ev: an esp-based address is computed after the pop
      let size = stackOpsize();
      let sp = spGet();
      let v = pop(size);
      if (stopped) return;
      decodeModrm(0);
      rmSet(size, v);
      if (stopped) spSet(sp);
      return;
    }
    case 0x90:
      if (rex & 1) { let t = rget64(8); rset(opsize, 8, rget64(RAX), false); rset(opsize, RAX, t, false); }
      return; // nop, pause
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
      let r = (op & 7) | ((rex & 1) << 3);
      let t = rget(opsize, r, false);
      rset(opsize, r, rget(opsize, RAX, false), false);
      rset(opsize, RAX, t, false);
      return;
    }
    case 0x98: // cbw cwde cdqe
      if (opsize == 2) rset(2, RAX, sx8(rget32(RAX) & 0xff), false);
      else if (opsize == 4) rset32(RAX, <u32>sx16(rget32(RAX) & 0xffff));
      else rset64(RAX, sx32(rget32(RAX)));
      return;
    case 0x99: { // cwd cdq cqo
      let neg = (rget(opsize, RAX, false) & (<u64>1 << ((<u64>opsize << 3) - 1))) != 0;
      rset(opsize, RDX, neg ? 0xffffffffffffffff : 0, false);
      return;
    }
    case 0x9b: fwait(); return;
    case 0x9c: push(stackOpsize(), <u64>(getFlags() & 0x3cffff)); return; // pushf (VM, RF read as 0)
    case 0x9d: { let v = pop(stackOpsize()); if (!stopped) setFlagsMasked(<u32>v, stackOpsize() == 2 ? POPF_MASK & 0xffff : POPF_MASK); return; }
    case 0x9e: setFlagsMasked(rget32(RAX) >> 8, SF | ZF | AF | PF | CF); return; // sahf
    case 0x9f: store<u8>(cpu + 1, <u8>((getFlags() & (SF | ZF | AF | PF | CF)) | 2)); return; // lahf
    case 0xa0: case 0xa1: case 0xa2: case 0xa3: { // mov al/eax <-> moffs
      let size: u32 = (op & 1) ? opsize : 1;
      let off: u64 = adsize == 8 ? fetch64() : adsize == 4 ? <u64>fetch32() : <u64>fetch16();
      let a = linear(off);
      if (op < 0xa2) { let v = rdN(size, a); if (!stopped) rset(size, RAX, v, false); }
      else wrN(size, a, rget64(RAX));
      return;
    }
    case 0xa4: stringOp(STR_MOVS, 1); return;
    case 0xa5: stringOp(STR_MOVS, opsize); return;
    case 0xa6: stringOp(STR_CMPS, 1); return;
    case 0xa7: stringOp(STR_CMPS, opsize); return;
    case 0xa8: alu(4, 1, rget(1, RAX, false), <u64>fetch8()); return;
    case 0xa9: alu(4, opsize, rget(opsize, RAX, false), immz(opsize)); return;
    case 0xaa: stringOp(STR_STOS, 1); return;
    case 0xab: stringOp(STR_STOS, opsize); return;
    case 0xac: stringOp(STR_LODS, 1); return;
    case 0xad: stringOp(STR_LODS, opsize); return;
    case 0xae: stringOp(STR_SCAS, 1); return;
    case 0xaf: stringOp(STR_SCAS, opsize); return;
    case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
      rset(1, (op & 7) | ((rex & 1) << 3), <u64>fetch8(), rexPresent);
      return;
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf: {
      let v: u64 = opsize == 8 ? fetch64() : opsize == 4 ? <u64>fetch32() : <u64>fetch16();
      rset(opsize, (op & 7) | ((rex & 1) << 3), v, false);
      return;
    }
    case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3: { // group 2
      let size: u32 = (op & 1) ? opsize : 1;
      decodeModrm(op < 0xd0 ? 1 : 0);
      let v = rmGetRW(size);
      let n: u32 = op < 0xd0 ? fetch8() : op < 0xd2 ? 1 : rget32(RCX) & 0xff;
      if (stopped) return;
      let c = shiftCount(size, <u64>n);
      if (c == 0) return;
      rmSet(size, shiftOp(reg, size, v, c));
      return;
    }
    case 0xc2: case 0xc3: { // ret [imm16]
      let size = stackOpsize();
      let n: u32 = op == 0xc2 ? fetch16() : 0;
      let t = pop(size);
      if (stopped) return;
      spSet(stackAddr(spGet() + n));
      jumpTo(t, size);
      return;
    }
    case 0xc6: case 0xc7: { // mov Ev, imm
      let size: u32 = op == 0xc6 ? 1 : opsize;
      modrm(size == 1 ? 1 : (size == 2 ? 2 : 4));
      if ((reg & 7) != 0) { fault(REASON_UD); return; }
      rmSet(size, size == 1 ? <u64>fetch8() : immz(size));
      return;
    }
    case 0xc8: { // enter: the frame pointer is as wide as the (flat) stack, not the operand
      let size = stackOpsize();
      let ssz: u32 = mode64 ? 8 : 4;
      let frame = fetch16();
      let level = fetch8() & 31;
      let sp0 = spGet(), bp0 = rget64(RBP);
      push(size, rget(size, RBP, false));
      let fp = spGet();
      let bp = rget(ssz, RBP, false);
      for (let i: u32 = 1; i < level && !stopped; i++) {
        bp = stackAddr(bp - size);
        push(size, rdN(size, bp));
      }
      if (level > 0 && !stopped) push(size, fp);
      if (stopped) { spSet(sp0); rset64(RBP, bp0); return; }
      rset(ssz, RBP, fp, false);
      spSet(stackAddr(spGet() - frame));
      return;
    }
    case 0xc9: { // leave
      let size = stackOpsize();
      let bp = rget(mode64 ? 8 : 4, RBP, false);
      let v = rdN(size, stackAddr(bp));
      if (stopped) return;
      spSet(stackAddr(bp + size));
      rset(size, RBP, v, false);
      return;
    }
    case 0xcc: stop(REASON_BREAKPOINT); setVector(3); return;
    case 0xcd: {
      let n = fetch8();
      if (n == 0x80 && !mode64) { stop(REASON_INT80); return; }
      setVector(n);
      fault(REASON_GP);
      return;
    }
    case 0xce: // into: a trap (eip after it) to vector 4 when OF is set, reported as #GP
      if (mode64) { fault(REASON_UD); return; }
      if (getOF()) { setVector(4); stop(REASON_GP); }
      return;
    case 0xd4: case 0xd5: case 0xd6: // aam aad salc
      if (mode64) { fault(REASON_UD); return; }
      bcd(op, op == 0xd6 ? 0 : fetch8());
      return;
    case 0xd7: { // xlat
      let a = linear((rget64(RBX) + (rget64(RAX) & 0xff)) & adMask());
      let v = rdN(1, a);
      if (!stopped) rset(1, RAX, v, false);
      return;
    }
    case 0xd8: case 0xd9: case 0xda: case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf:
      fpuOp(op);
      return;
    case 0xe0: case 0xe1: case 0xe2: { // loopne loope loop
      let rel = imm8s();
      let n = (countGet() - 1) & adMask();
      countSet(n);
      let z = (lazyOp == 0 ? (eflags & ZF) != 0 : lazyRes == 0);
      if (n != 0 && (op == 0xe2 || (op == 0xe1 ? z : !z))) jumpRel(rel);
      return;
    }
    case 0xe3: { let rel = imm8s(); if (countGet() == 0) jumpRel(rel); return; }
    case 0xe8: { // call rel
      let rel: u64 = opsize == 2 && !mode64 ? sx16(fetch16()) : sx32(fetch32());
      let size = stackOpsize();
      push(size, ip);
      if (!stopped) jumpRel(rel);
      return;
    }
    case 0xe9: { let rel: u64 = opsize == 2 && !mode64 ? sx16(fetch16()) : sx32(fetch32()); jumpRel(rel); return; }
    case 0xeb: { let rel = imm8s(); jumpRel(rel); return; }
    case 0xf4: fault(REASON_GP); return; // hlt is privileged
    case 0xf5: setFlags(getFlags() ^ CF); return;
    case 0xf6: group3(1); return;
    case 0xf7: group3(opsize); return;
    case 0xf8: setFlags(getFlags() & ~CF); return;
    case 0xf9: setFlags(getFlags() | CF); return;
    case 0xfc: setFlags(getFlags() & ~DF); return;
    case 0xfd: setFlags(getFlags() | DF); return;
    case 0xfe: {
      decodeModrm(0);
      let v = (reg & 7) < 2 ? rmGetRW(1) : rmGet(1);
      if (stopped) return;
      if ((reg & 7) == 0) rmSet(1, inc(1, v));
      else if ((reg & 7) == 1) rmSet(1, dec(1, v));
      else fault(REASON_UD);
      return;
    }
    case 0xff: group5(); return;
    case 0xc4: case 0xc5: vex(op); return;
    default:
      // in/out/ins/outs, cli/sti, far transfers, iret, into, bound...: not for user mode
      if (op == 0xe4 || op == 0xe5 || op == 0xe6 || op == 0xe7 || op == 0xec || op == 0xed ||
          op == 0xee || op == 0xef || (op >= 0x6c && op <= 0x6f) || op == 0xfa || op == 0xfb ||
          op == 0xcf) { fault(REASON_GP); return; }
      fault(REASON_UD);
  }
}

function twoByte(): void {
  let op = fetch8();
  switch (op) {
    case 0x05: { // syscall
      if (!mode64) { fault(REASON_UD); return; }
      rset64(RCX, ip);
      rset64(11, <u64>getFlags());
      stop(REASON_SYSCALL);
      return;
    }
    case 0x0b: fault(REASON_UD); return; // ud2
    case 0x0d: case 0x18: case 0x19: case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e: case 0x1f:
      decodeModrm(0); return; // prefetch, hint nops, endbr
    case 0x01: group7(); return;
    case 0x31: rdtsc(); return;
    case 0x38: escape0f38(); return;
    case 0x3a: escape0f3a(); return;
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f: {
      decodeModrm(0);
      let v = rmGet(opsize);
      if (stopped) return;
      if (cond(op & 15)) regSet(opsize, v);
      else if (opsize == 4) regSet(4, regGet(4)); // a 32-bit cmov always zero-extends
      return;
    }
    case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
    case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f: {
      let rel: u64 = opsize == 2 && !mode64 ? sx16(fetch16()) : sx32(fetch32());
      if (cond(op & 15)) jumpRel(rel);
      return;
    }
    case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
    case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
      decodeModrm(0);
      rmSet(1, cond(op & 15) ? 1 : 0);
      return;
    case 0xa0: case 0xa8: push(stackOpsize(), <u64>storeSegment(op == 0xa0 ? 4 : 5)); return;
    case 0xa1: case 0xa9: {
      let v = pop(stackOpsize());
      if (!stopped) loadSegment(op == 0xa1 ? 4 : 5, <u32>v);
      return;
    }
    case 0xa2: cpuid(); return;
    case 0xa3: case 0xab: case 0xb3: case 0xbb: { // bt bts btr btc Ev, Gv
      decodeModrm(0);
      let kind = (op >> 3) & 3;
      if (mod == 3) {
        let v = rget(opsize, rm, false);
        let r = bitOp(kind, opsize, v, <u32>(regGet(opsize) & ((<u64>opsize << 3) - 1)));
        if (kind != 0) rset(opsize, rm, r, false);
      } else {
        bitTestMem(kind, opsize, ea, regGet(opsize));
      }
      return;
    }
    case 0xa4: case 0xa5: case 0xac: case 0xad: { // shld / shrd
      decodeModrm((op & 1) ? 0 : 1);
      let v = rmGetRW(opsize);
      let n: u32 = (op & 1) ? rget32(RCX) & 0xff : fetch8();
      if (stopped) return;
      let c = shiftCount(opsize, <u64>n);
      if (c == 0) return;
      rmSet(opsize, op < 0xa8 ? shld(opsize, v, regGet(opsize), c) : shrd(opsize, v, regGet(opsize), c));
      return;
    }
    case 0xaf: { decodeModrm(0); let v = rmGet(opsize); if (!stopped) regSet(opsize, imul2(opsize, regGet(opsize), v)); return; }
    case 0xb0: case 0xb1: { // cmpxchg
      let size: u32 = op == 0xb0 ? 1 : opsize;
      decodeModrm(0);
      let v = rmGetRW(size);
      if (stopped) return;
      let acc = rget(size, RAX, false);
      alu(ALU_CMP, size, acc, v);
      if ((acc & sizeMask(size)) == (v & sizeMask(size))) rmSet(size, regGet(size));
      else { rmSet(size, v); if (!stopped) rset(size, RAX, v, false); }
      return;
    }
    case 0xb6: case 0xb7: { decodeModrm(0); let v = rmGet(op == 0xb6 ? 1 : 2); if (!stopped) regSet(opsize, v); return; }
    case 0xbe: { decodeModrm(0); let v = rmGet(1); if (!stopped) regSet(opsize, sx8(<u32>v) & sizeMask(opsize)); return; }
    case 0xbf: { decodeModrm(0); let v = rmGet(2); if (!stopped) regSet(opsize, sx16(<u32>v) & sizeMask(opsize)); return; }
    case 0xba: { // group 8: bt bts btr btc Ev, Ib
      decodeModrm(1);
      let bit = fetch8() & ((opsize << 3) - 1);
      let kind = reg & 7;
      if (kind < 4) { fault(REASON_UD); return; }
      let v = kind == 4 ? rmGet(opsize) : rmGetRW(opsize);
      if (stopped) return;
      let r = bitOp(kind - 4, opsize, v, bit);
      if (kind != 4) rmSet(opsize, r);
      return;
    }
    case 0xb8: { // popcnt (f3 only)
      if (rep != 0xf3) { fault(REASON_UD); return; }
      decodeModrm(0); let v = rmGet(opsize); if (!stopped) popcount(opsize, reg, v); return;
    }
    case 0xbc: { // bsf, tzcnt (f3)
      if (lockPrefix) { invalidOpcode(); return; }
      decodeModrm(0); let v = rmGet(opsize); if (!stopped) { if (rep == 0xf3) tzcnt(opsize, reg, v); else bsf(opsize, reg, v); } return;
    }
    case 0xbd: { decodeModrm(0); let v = rmGet(opsize); if (!stopped) { if (rep == 0xf3) lzcnt(opsize, reg, v); else bsr(opsize, reg, v); } return; }
    case 0xc0: case 0xc1: { // xadd
      let size: u32 = op == 0xc0 ? 1 : opsize;
      decodeModrm(0);
      let d = rmGetRW(size);
      if (stopped) return;
      let s = regGet(size);
      let r = alu(0, size, d, s);
      if (mod == 3) { regSet(size, d); rmSet(size, r); return; } // xadd r, r: the sum wins
      rmSet(size, r);
      if (!stopped) regSet(size, d);
      return;
    }
    case 0xc7: { // group 9: cmpxchg8b / cmpxchg16b, rdpid
      decodeModrm(0);
      if ((reg & 7) == 7 && mod == 3 && rep == 0xf3) { rdpid(rm); return; }
      if ((reg & 7) != 1 || mod == 3) { fault(REASON_UD); return; }
      cmpxchgWide(opsize == 8 ? 8 : 4);
      return;
    }
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0xcc: case 0xcd: case 0xce: case 0xcf: {
      let r = (op & 7) | ((rex & 1) << 3);
      rset(opsize, r, byteSwap(opsize, rget64(r)), false);
      return;
    }
    default:
      sseOp(op);
  }
}

// cmpxchg8b (half = 4) and cmpxchg16b (half = 8): edx:eax against memory.
function cmpxchgWide(half: u32): void {
  let lo = rdNW(half, ea), hi = rdNW(half, ea + half);
  if (stopped) return;
  let f = getFlags();
  if (lo == rget(half, RAX, false) && hi == rget(half, RDX, false)) {
    wrN(half, ea, rget(half, RBX, false));
    wrN(half, ea + half, rget(half, RCX, false));
    if (!stopped) setFlags(f | ZF);
  } else {
    wrN(half, ea, lo); wrN(half, ea + half, hi); // the locked cycle writes back
    if (stopped) return;
    rset(half, RAX, lo, false);
    rset(half, RDX, hi, false);
    setFlags(f & ~ZF);
  }
}

// ---- run(budget) ------------------------------------------------------------

// One instruction through step(), from the bytes at ip (`fresh`: the code page
// was just prepared, the instruction may run off it). A faulting instruction
// must leave the flags as they were (a read-modify-write computes them before
// its write faults). The cached handlers (fast.ts) never change flags when
// they fault, so only this path saves them.
function stepSlow(fresh: bool): void {
  let f0 = eflags, op0 = lazyOp, size0 = lazySize, a0 = lazyA, b0 = lazyB, res0 = lazyRes;
  step();
  if (fresh) checkFetchLimit();
  if (stopped && !retires()) loadFlagState(f0, op0, size0, a0, b0, res0);
}

// Did the instruction that stopped run() complete (a syscall or int3), or is it a fault?
function retires(): bool {
  let r = load<u32>(cpu + CPU_REASON);
  return r == REASON_INT80 || r == REASON_SYSCALL || r == REASON_BREAKPOINT;
}

// Execute the task whose CPU block is `task` for up to `budget` instructions.
export function run(task: usize, budget: i32): u32 {
  setCpu(task);
  let as = load<u32>(task + CPU_AS);
  if (as != curAs) tlbUse(as);
  setIp(load<u64>(task + CPU_RIP));
  loadFlagState(load<u32>(task + CPU_FLAGS), load<u32>(task + CPU_LAZY_OP), load<u32>(task + CPU_LAZY_SIZE),
    load<u64>(task + CPU_LAZY_A), load<u64>(task + CPU_LAZY_B), load<u64>(task + CPU_LAZY_RES));
  clearStop();
  store<u32>(task + CPU_REASON, REASON_BUDGET);
  let n: i32 = 0;
  resetPrefixes();
  while (n < budget) {
    let pc = ip;
    setInsnStart(pc);
    n++;
    // Every instruction in the cached code page has a decoded-instruction
    // cache entry (icache.ts); entering another page prepares it first.
    if (codeTag != (pc >> PAGE_SHIFT) + 1) {
      if (!prepareFetch()) { n--; break; }
      if (codeTag == 0) { stepSlow(true); if (stopped) break; continue; }
    }
    let e = codeEntries + ((<usize>pc & PAGE_MASK) << ICACHE_ENTRY_SHIFT);
    if (load<u64>(e + E_TAG) != codeKey) predecode(e);
    let block = load<u32>(e + E_BLOCK);
    if (block) { // a compiled block starts here (jit.ts)
      if (n - 1 + <i32>load<u16>(e + E_HOT) <= budget) {
        let k = call_indirect<i32>(block, <u32>cpu, budget - n + 1); // it may loop while the budget lasts
        if (k) {
          n += k - 1;
          if (stopped) break;
          continue;
        }
      }
    } else if (branched) {
      clearBranched();
      noteBranchTarget(e);
    }
    if (load<u8>(e + E_H) != H_GENERIC) execEntry(e);
    else if ((<u32>pc & PAGE_MASK) <= PAGE_SIZE - 16) stepSlow(false);
    else if (prepareFetch()) stepSlow(true); // near the page end: from a buffer that holds the next page's start
    else { n--; break; }
    if (stopped) break;
  }
  if (stopped) {
    if (!retires()) n--; // faults retire nothing
    if (faulted) setIp(insnStart);
  }
  addRetired(<u64>n);
  store<u64>(task + CPU_ICOUNT, load<u64>(task + CPU_ICOUNT) + <u64>n);
  store<u64>(task + CPU_RIP, ip);
  store<u32>(task + CPU_FLAGS, eflags);
  store<u32>(task + CPU_LAZY_OP, lazyOp);
  store<u32>(task + CPU_LAZY_SIZE, lazySize);
  store<u64>(task + CPU_LAZY_A, lazyA);
  store<u64>(task + CPU_LAZY_B, lazyB);
  store<u64>(task + CPU_LAZY_RES, lazyRes);
  return load<u32>(task + CPU_REASON);
}
