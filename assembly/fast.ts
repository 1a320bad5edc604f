// Executing a decoded-instruction cache entry (icache.ts). Each handler does
// what interp.ts's step() does for the same bytes, in the same order of
// memory accesses and checks, so faults and flags come out the same.
import { ip, mode64, rget, rget32, rget64, rset, setIp, stopped } from "./cpu";
import { rd32, rd64, rdN, rdNW, wr32, wr64, wrN } from "./mem";
import { cond, sizeMask } from "./flags";
import { aluOp, dec, inc } from "./alu";
import { shiftCount, shiftOp } from "./shift";
import { imul2 } from "./muldiv";
import { pop, push } from "./stack";
import { sx16, sx32, sx8 } from "./decode";
import {
  E_BASE, E_DISP, E_FLAGS, E_H, E_IMM, E_INDEX, E_LEN, E_OP, E_R1, E_R2, E_SCALE, E_SIZE, F_CL, F_IMM,
  F_MEM, F_REX, F_RIP, F_WB, MOVX_DWORD, MOVX_SIGNED, MOVX_WORD, H_ALU_MI, H_ALU_MR, H_ALU_RI, H_ALU_RM, H_ALU_RR, H_CALL, H_CALL_IND,
  H_CMOV, H_IMUL, H_INCDEC, H_JCC, H_JMP, H_JMP_IND, H_LEA, H_MOV_MI, H_MOV_MR, H_MOV_RI, H_MOV_RM,
  H_MOV_RR, H_MOVX, H_ALU_RR4, H_ALU_RI4, H_ALU_RM4, H_ALU_MR4, H_ALU_MI4, H_MOV_RR4, H_MOV_RM4, H_MOV_MR4, H_MOV_RI4, H_NOP, H_POP_R, H_PUSH_I, H_PUSH_R, H_RET, H_SETCC, H_SHIFT,
} from "./icache";

const RCX: u32 = 1;

// The effective address; ip is already past the instruction (RIP-relative).
@inline function eaOf(e: usize): u64 {
  let a = rget64(<u32>load<u8>(e + E_BASE)) + (rget64(<u32>load<u8>(e + E_INDEX)) << <u64>load<u8>(e + E_SCALE)) +
    <u64><i64>load<i32>(e + E_DISP);
  if (!mode64) return a & 0xffffffff;
  return (load<u8>(e + E_FLAGS) & F_RIP) ? a + ip : a;
}

@inline function imm(e: usize): u64 { return <u64><i64>load<i32>(e + E_IMM); }

// Near jumps: the target is cut to 32 bits outside long mode.
// Set by every near jump: run() counts how often each branch target is
// reached, to find blocks worth compiling (jit.ts).
export let branched: bool = false;
export function clearBranched(): void { branched = false; }

@inline function jumpTo(t: u64): void { setIp(mode64 ? t : t & 0xffffffff); branched = true; }

// The r/m operand of an entry whose ModRM may name a register or memory.
@inline function rmGet(e: usize, size: u32, rx: bool): u64 {
  return (load<u8>(e + E_FLAGS) & F_MEM) ? rdN(size, eaOf(e)) : rget(size, <u32>load<u8>(e + E_R2), rx);
}

@inline function size(e: usize): u32 { return <u32>load<u8>(e + E_SIZE); }
@inline function r1(e: usize): u32 { return <u32>load<u8>(e + E_R1); }
@inline function r2(e: usize): u32 { return <u32>load<u8>(e + E_R2); }
@inline function op(e: usize): u32 { return <u32>load<u8>(e + E_OP); }
@inline function rex(e: usize): bool { return (load<u8>(e + E_FLAGS) & F_REX) != 0; }
@inline function has(e: usize, f: u8): bool { return (load<u8>(e + E_FLAGS) & f) != 0; }

// Loads and stores of a size known where the handler is instantiated: the
// 32- and 64-bit ones inline.
@inline function rdS(s: u32, a: u64): u64 { return s == 4 ? <u64>rd32(a) : s == 8 ? rd64(a) : rdN(s, a); }
@inline function wrS(s: u32, a: u64, v: u64): void { if (s == 4) wr32(a, <u32>v); else if (s == 8) wr64(a, v); else wrN(s, a, v); }

// The frequent forms as inline templates, instantiated below for any operand
// size (read from the entry) and for 32 bits.
@inline function aluRRs(e: usize, s: u32): void {
  let d = r1(e), x = rex(e);
  let r = aluOp(op(e), s, rget(s, d, x), rget(s, r2(e), x));
  if (has(e, F_WB)) rset(s, d, r, x);
}

@inline function aluRIs(e: usize, s: u32): void {
  let d = r1(e), x = rex(e);
  let r = aluOp(op(e), s, rget(s, d, x), imm(e));
  if (has(e, F_WB)) rset(s, d, r, x);
}

@inline function aluRMs(e: usize, s: u32): void {
  let d = r1(e), x = rex(e);
  let v = rdS(s, eaOf(e));
  if (stopped) return;
  let r = aluOp(op(e), s, rget(s, d, x), v);
  if (has(e, F_WB)) rset(s, d, r, x);
}

// Memory operands that are written are read as writes first, so the write
// cannot fault after the flags are set.
@inline function aluMRs(e: usize, s: u32): void {
  let a = eaOf(e), wb = has(e, F_WB);
  let v = wb ? rdNW(s, a) : rdS(s, a);
  if (stopped) return;
  let r = aluOp(op(e), s, v, rget(s, r1(e), rex(e)));
  if (wb) wrS(s, a, r);
}

@inline function aluMIs(e: usize, s: u32): void {
  let a = eaOf(e), wb = has(e, F_WB);
  let v = wb ? rdNW(s, a) : rdS(s, a);
  if (stopped) return;
  let r = aluOp(op(e), s, v, imm(e));
  if (wb) wrS(s, a, r);
}

@inline function movRRs(e: usize, s: u32): void {
  let x = rex(e);
  rset(s, r1(e), rget(s, r2(e), x), x);
}

@inline function movRMs(e: usize, s: u32): void {
  let v = rdS(s, eaOf(e));
  if (!stopped) rset(s, r1(e), v, rex(e));
}

@inline function movMRs(e: usize, s: u32): void { wrS(s, eaOf(e), rget(s, r1(e), rex(e))); }
@inline function movRIs(e: usize, s: u32): void { rset(s, r1(e), imm(e), rex(e)); }

function aluRR(e: usize): void { aluRRs(e, size(e)); }
function aluRI(e: usize): void { aluRIs(e, size(e)); }
function aluRM(e: usize): void { aluRMs(e, size(e)); }
function aluMR(e: usize): void { aluMRs(e, size(e)); }
function aluMI(e: usize): void { aluMIs(e, size(e)); }
function movRR(e: usize): void { movRRs(e, size(e)); }
function movRM(e: usize): void { movRMs(e, size(e)); }
function movMR(e: usize): void { movMRs(e, size(e)); }
function movRI(e: usize): void { movRIs(e, size(e)); }
function aluRR4(e: usize): void { aluRRs(e, 4); }
function aluRI4(e: usize): void { aluRIs(e, 4); }
function aluRM4(e: usize): void { aluRMs(e, 4); }
function aluMR4(e: usize): void { aluMRs(e, 4); }
function aluMI4(e: usize): void { aluMIs(e, 4); }
function movRR4(e: usize): void { movRRs(e, 4); }
function movRM4(e: usize): void { movRMs(e, 4); }
function movMR4(e: usize): void { movMRs(e, 4); }
function movRI4(e: usize): void { movRIs(e, 4); }
function movMI(e: usize): void { wrN(size(e), eaOf(e), imm(e)); }
function lea(e: usize): void { rset(size(e), r1(e), eaOf(e) & sizeMask(size(e)), false); }

function movx(e: usize): void {
  let k = op(e);
  let v = rmGet(e, (k & MOVX_DWORD) ? 4 : (k & MOVX_WORD) ? 2 : 1, rex(e));
  if (stopped) return;
  if (k & MOVX_SIGNED) {
    v = ((k & MOVX_DWORD) ? sx32(<u32>v) : (k & MOVX_WORD) ? sx16(<u32>v) : sx8(<u32>v)) & sizeMask(size(e));
  }
  rset(size(e), r1(e), v, false);
}

function jcc(e: usize): void { if (cond(op(e))) jumpTo(ip + imm(e)); }
function jmp(e: usize): void { jumpTo(ip + imm(e)); }
function call(e: usize): void { push(size(e), ip); if (!stopped) jumpTo(ip + imm(e)); }
function ret(e: usize): void { let t = pop(size(e)); if (!stopped) jumpTo(t); }

function callInd(e: usize): void {
  let s = size(e);
  let t = rmGet(e, s, false);
  if (stopped) return;
  push(s, ip);
  if (!stopped) jumpTo(t);
}

function jmpInd(e: usize): void { let t = rmGet(e, size(e), false); if (!stopped) jumpTo(t); }
function pushR(e: usize): void { push(size(e), rget(size(e), r1(e), false)); }
function popR(e: usize): void { let v = pop(size(e)); if (!stopped) rset(size(e), r1(e), v, false); }
function pushI(e: usize): void { push(size(e), imm(e) & sizeMask(size(e))); }

function incDec(e: usize): void {
  let s = size(e), isDec = op(e) != 0;
  if (has(e, F_MEM)) {
    let a = eaOf(e);
    let v = rdNW(s, a);
    if (!stopped) wrN(s, a, isDec ? dec(s, v) : inc(s, v));
  } else {
    let d = r1(e), x = rex(e);
    let v = rget(s, d, x);
    rset(s, d, isDec ? dec(s, v) : inc(s, v), x);
  }
}

function shift(e: usize): void {
  let s = size(e), mem = has(e, F_MEM);
  let a: u64 = mem ? eaOf(e) : 0;
  let v = mem ? rdNW(s, a) : rget(s, r1(e), rex(e));
  let n: u64 = has(e, F_CL) ? <u64>(rget32(RCX) & 0xff) : imm(e);
  if (stopped) return;
  let c = shiftCount(s, n);
  if (c == 0) return;
  let r = shiftOp(op(e), s, v, c);
  if (mem) wrN(s, a, r); else rset(s, r1(e), r, rex(e));
}

function imul(e: usize): void {
  let s = size(e), x = rex(e);
  let v = rmGet(e, s, x);
  if (stopped) return;
  if (has(e, F_IMM)) rset(s, r1(e), imul2(s, v, imm(e)), x);
  else rset(s, r1(e), imul2(s, rget(s, r1(e), x), v), x);
}

function cmov(e: usize): void {
  let s = size(e), x = rex(e);
  let v = rmGet(e, s, x);
  if (stopped) return;
  if (cond(op(e))) rset(s, r1(e), v, x);
  else if (s == 4) rset(4, r1(e), rget(4, r1(e), x), x); // a 32-bit cmov always zero-extends
}

function setcc(e: usize): void {
  let v: u64 = cond(op(e)) ? 1 : 0;
  if (has(e, F_MEM)) wrN(1, eaOf(e), v); else rset(1, r1(e), v, rex(e));
}

// Execute entry e (not GENERIC) for the instruction at ip.
@inline export function execEntry(e: usize): void {
  setIp(ip + <u64>load<u8>(e + E_LEN));
  switch (load<u8>(e + E_H)) {
    case H_ALU_RR4: aluRR4(e); return;
    case H_ALU_RI4: aluRI4(e); return;
    case H_ALU_RM4: aluRM4(e); return;
    case H_ALU_MR4: aluMR4(e); return;
    case H_ALU_MI4: aluMI4(e); return;
    case H_MOV_RR4: movRR4(e); return;
    case H_MOV_RM4: movRM4(e); return;
    case H_MOV_MR4: movMR4(e); return;
    case H_MOV_RI4: movRI4(e); return;
    case H_ALU_RR: aluRR(e); return;
    case H_ALU_RI: aluRI(e); return;
    case H_ALU_RM: aluRM(e); return;
    case H_ALU_MR: aluMR(e); return;
    case H_ALU_MI: aluMI(e); return;
    case H_MOV_RR: movRR(e); return;
    case H_MOV_RM: movRM(e); return;
    case H_MOV_MR: movMR(e); return;
    case H_MOV_RI: movRI(e); return;
    case H_MOV_MI: movMI(e); return;
    case H_LEA: lea(e); return;
    case H_MOVX: movx(e); return;
    case H_JCC: jcc(e); return;
    case H_JMP: jmp(e); return;
    case H_CALL: call(e); return;
    case H_RET: ret(e); return;
    case H_CALL_IND: callInd(e); return;
    case H_JMP_IND: jmpInd(e); return;
    case H_PUSH_R: pushR(e); return;
    case H_POP_R: popR(e); return;
    case H_PUSH_I: pushI(e); return;
    case H_INCDEC: incDec(e); return;
    case H_SHIFT: shift(e); return;
    case H_IMUL: imul(e); return;
    case H_CMOV: cmov(e); return;
    case H_SETCC: setcc(e); return;
    default: return; // H_NOP
  }
}
