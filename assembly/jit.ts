// Block compiler: a run of cached instructions (icache.ts) that branches
// reach often becomes a small Wasm module that does their work itself:
// register loads and stores on the CPU block, the ALU operation and the lazy
// flag record, memory through jitRead/jitWrite, the closing jcc through
// jitCond. The core writes the module's bytes and a request (JIT_QUEUE); the
// host compiles it after run() returns, adds its function to the core's table
// and calls blockInstall, which records the table index in the block's first
// entry, where run() finds it.
//
// A block lies in one code page, holds 32-bit forms only (ALU without
// adc/sbb, test, mov, lea) and ends with its first jcc/jmp, before anything
// else, or before the page's last 16 bytes. Its code has the instructions'
// addresses built in, so it first checks that ip is where it was compiled
// for (returning 0 otherwise: run() then interprets). It returns how many
// instructions it entered: it stops after a faulting access (jitRead/jitWrite
// set `stopped`, and insnStart was set before each access) or a store to the
// code page (codeTag is then 0). A block is only reached through its first
// entry, whose tag carries the page's generation, so it never runs after its
// bytes changed.
import {
  ICACHE_ENTRY_SHIFT, JIT_CODE, JIT_CODE_SIZE, JIT_QUEUE, JIT_QUEUE_ITEM, JIT_QUEUE_MAX, PAGE_MASK, PAGE_SIZE,
  TLB_ENTRIES, TLB_READ_HOST, TLB_READ_TAGS, TLB_WRITE_HOST, TLB_WRITE_TAGS,
} from "./layout";
import { ip, mode64, stopped } from "./cpu";
import { codeEntries, codeKey, codePtr } from "./decode";
import { codeTag } from "./tlb";
import { rdN, wrN } from "./mem";
import { cond, LAZY_ADD, LAZY_LOGIC, LAZY_SUB } from "./flags";
import { imul2 } from "./muldiv";
import { ALU_ADC, ALU_ADD, ALU_AND, ALU_OR, ALU_SBB, ALU_XOR } from "./alu";
import {
  E_BASE, E_DISP, E_FLAGS, E_H, E_IMM, E_INDEX, E_LEN, E_OP, E_R1, E_R2, E_SCALE, E_TAG, F_MEM, F_RIP, F_WB,
  H_ALU_RI4, H_ALU_RM4, H_ALU_RR4, H_JCC, H_JMP, H_LEA, H_MOV_MR4, H_MOV_RI4, H_MOV_RM4, H_MOV_RR4,
  E_SIZE, ZREG, predecodeAt, H_ALU_MI4, H_ALU_MR4, H_ALU_MI, H_MOV_MI, H_MOVX, F_REX, H_IMUL, F_IMM,
  H_MOV_RR, H_MOV_RI, H_MOV_RM, H_MOV_MR, H_ALU_RR, H_ALU_RI, H_ALU_RM, H_ALU_MR, MOVX_SIGNED, MOVX_WORD,
} from "./icache";

export const E_HOT: usize = 18; // u16 times reached by a branch; a block's length once installed
export const E_BLOCK: usize = 20; // u32 table index of the block compiled from here, 0 = none

// Compiling and instantiating a block costs the host ~0.5 ms, and V8 then
// optimizes it in the background: it pays off only for code that runs very
// often (at 100, 10,000 forked children printing a line ran 25 % slower).
const HOT: u32 = 20000;
const MAX_INSNS: u32 = 32;
const MAX_BLOCKS: u32 = 4096; // each is a module instance on the host
let blocks: u32 = 0;
let codeUsed: u32 = 0;

// ---- helpers the blocks import ------------------------------------------------

export function jitRead(a: u64, size: u32): u64 { return rdN(size, a); }
// Nonzero when the block must stop: a fault, or the code page was written.
export function jitWrite(a: u64, size: u32, v: u64): i32 { wrN(size, a, v); return stopped || codeTag == 0 ? 1 : 0; }
export function jitCond(cc: u32): i32 { return cond(cc) ? 1 : 0; }
export function jitImul(a: u32, b: u32): u32 { return <u32>imul2(4, a, b); }

// ---- hotness -----------------------------------------------------------------------

// Reached by a branch and not compiled: count, and compile when hot.
export function noteBranchTarget(e: usize): void {
  let hot = <u32>load<u16>(e + E_HOT) + 1;
  store<u16>(e + E_HOT, <u16>hot);
  if (hot == HOT && blocks < MAX_BLOCKS && !compile(e)) store<u16>(e + E_HOT, 0); // queue full: later
}

function supported(e: usize): bool {
  let h = load<u8>(e + E_H);
  let op = <u32>load<u8>(e + E_OP);
  let size = load<u8>(e + E_SIZE);
  if (h == H_ALU_RR4 || h == H_ALU_RI4 || h == H_ALU_RM4) return op != ALU_ADC && op != ALU_SBB;
  // cmp/test with a memory operand (no write-back), bytes or dwords
  if (h == H_ALU_MI4 || h == H_ALU_MR4 || (h == H_ALU_MI && (size == 1 || size == 8)) || (h == H_ALU_MR && size == 8)) {
    return op != ALU_ADC && op != ALU_SBB && !(load<u8>(e + E_FLAGS) & F_WB);
  }
  if ((h == H_ALU_RR || h == H_ALU_RI || h == H_ALU_RM) && size == 8) return op != ALU_ADC && op != ALU_SBB;
  if (h == H_MOV_MI) return true;
  if (h == H_MOVX || h == H_IMUL) return size == 4;
  // 64-bit moves and lea (no flags) too
  if (h == H_MOV_RR || h == H_MOV_RI || h == H_MOV_RM || h == H_MOV_MR || h == H_LEA) return size == 8 || h == H_LEA && size == 4;
  return h == H_MOV_RR4 || h == H_MOV_RI4 || h == H_MOV_RM4 || h == H_MOV_MR4 || h == H_JCC || h == H_JMP;
}

// ---- Wasm bytes ----------------------------------------------------------------------

let out: usize = 0;
@inline function byte(b: u32): void { store<u8>(out, <u8>b); out++; }
function uleb(v: u32): void { do { let b = v & 0x7f; v >>= 7; byte(v ? b | 0x80 : b); } while (v); }
function sleb(v: i64): void {
  while (true) {
    let b = <u32>v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) { byte(b); return; }
    byte(b | 0x80);
  }
}
function sizeSlot(): usize { let p = out; out += 5; return p; }
function patchSize(p: usize): void {
  let v = <u32>(out - p - 5);
  for (let i: usize = 0; i < 4; i++) { store<u8>(p + i, <u8>((v & 0x7f) | 0x80)); v >>= 7; }
  store<u8>(p + 4, <u8>v);
}
function name(s: string): void { uleb(<u32>s.length); for (let i = 0; i < s.length; i++) byte(<u32>s.charCodeAt(i)); }

// Globals, functions and locals of the generated module.
const G_IP: u32 = 0, G_IS: u32 = 1, G_STOP: u32 = 2, G_OP: u32 = 3, G_SZ: u32 = 4, G_A: u32 = 5, G_B: u32 = 6,
  G_R: u32 = 7, G_BR: u32 = 8, G_KEY: u32 = 9;
const F_RD: u32 = 0, F_WR: u32 = 1, F_CC: u32 = 2, F_MUL: u32 = 3;
const L_CPU: u32 = 0, L_BUDGET: u32 = 1, L_A: u32 = 2, L_B: u32 = 3, L_R: u32 = 4, L_M: u32 = 5, L_CNT: u32 = 6,
  L_FA: u32 = 7, L_FB: u32 = 8, L_FR: u32 = 9, L_VP: u32 = 10, L_V: u32 = 11, L_SL: u32 = 12,
  L_A64: u32 = 13, L_B64: u32 = 14, L_R64: u32 = 15, L_FA64: u32 = 16, L_FB64: u32 = 17, L_FR64: u32 = 18;

// The lazy flags of the block's last flag-setting instruction are kept in
// L_FA/L_FB/L_FR (operands and result) and written to the globals only where
// the block is left or the flags are read by the core: `pending` is their kind
// (LAZY_*, 0 = the globals are current) and pendingSize their operand size.
let pending: u32 = 0;
let pendingSize: u32 = 0;

function flushFlags(): void {
  if (!pending) return;
  i32c(<i32>pending); globalSet(G_OP);
  i32c(<i32>pendingSize); globalSet(G_SZ);
  if (pendingSize == 8) {
    localGet(L_FA64); globalSet(G_A); localGet(L_FB64); globalSet(G_B); localGet(L_FR64); globalSet(G_R);
    return;
  }
  localGet(L_FA); byte(0xad); globalSet(G_A);
  localGet(L_FB); byte(0xad); globalSet(G_B);
  localGet(L_FR); byte(0xad); globalSet(G_R);
}

// Condition cc from pending 32-bit sub/cmp or logic flags, as an i32; false
// when it needs the core's cond().
function inlineCond(cc: u32): bool {
  if (pendingSize == 8) return inlineCond64(cc);
  if (pendingSize != 4) return false;
  let k = cc >> 1;
  if (pending == LAZY_SUB) {
    if (k == 2) { localGet(L_FA); localGet(L_FB); byte(0x46); } // e
    else if (k == 1) { localGet(L_FA); localGet(L_FB); byte(0x49); } // b: lt_u
    else if (k == 3) { localGet(L_FA); localGet(L_FB); byte(0x4d); } // be: le_u
    else if (k == 6) { localGet(L_FA); localGet(L_FB); byte(0x48); } // l: lt_s
    else if (k == 7) { localGet(L_FA); localGet(L_FB); byte(0x4c); } // le: le_s
    else if (k == 4) { localGet(L_FR); i32c(0); byte(0x48); } // s
    else return false;
  } else if (pending == LAZY_LOGIC) {
    if (k == 0 || k == 1) i32c(0); // o, b: clear
    else if (k == 2 || k == 3) { localGet(L_FR); byte(0x45); } // e, be: eqz
    else if (k == 4 || k == 6) { localGet(L_FR); i32c(0); byte(0x48); } // s, l
    else if (k == 7) { localGet(L_FR); i32c(0); byte(0x4c); } // le
    else return false;
  } else {
    return false;
  }
  if (cc & 1) byte(0x45); // the odd conditions are the negations
  return true;
}

@inline function localGet(l: u32): void { byte(0x20); uleb(l); }
@inline function localSet(l: u32): void { byte(0x21); uleb(l); }
@inline function globalSet(g: u32): void { byte(0x24); uleb(g); }
@inline function i32c(v: i32): void { byte(0x41); sleb(<i64>v); }
@inline function i64c(v: u64): void { byte(0x42); sleb(<i64>v); }
function reg32(r: u32): void { localGet(L_CPU); byte(0x28); byte(2); uleb(r << 3); } // i32.load
function reg64(r: u32): void { localGet(L_CPU); byte(0x29); byte(3); uleb(r << 3); } // i64.load
// i64.store to register r of the i64 on the stack, with cpu pushed before it by the caller.
function storeReg(r: u32): void { byte(0x37); byte(3); uleb(r << 3); }
function setIpTo(v: u64): void { i64c(v); globalSet(G_IP); }
// The block's result: instructions entered before this iteration (L_CNT) + count.
function result(count: u32): void { localGet(L_CNT); i32c(<i32>count); byte(0x6a); }
function exitIf(count: u32, next: u64): void { // [i32] if nonzero: ip = next, return
  byte(0x04); byte(0x40); flushFlags(); setIpTo(next); result(count); byte(0x0f); byte(0x0b);
}

// The same for pending 64-bit flags.
function inlineCond64(cc: u32): bool {
  let k = cc >> 1;
  if (pending == LAZY_SUB) {
    if (k == 2) { localGet(L_FA64); localGet(L_FB64); byte(0x51); } // e
    else if (k == 1) { localGet(L_FA64); localGet(L_FB64); byte(0x54); } // b: lt_u
    else if (k == 3) { localGet(L_FA64); localGet(L_FB64); byte(0x58); } // be: le_u
    else if (k == 6) { localGet(L_FA64); localGet(L_FB64); byte(0x53); } // l: lt_s
    else if (k == 7) { localGet(L_FA64); localGet(L_FB64); byte(0x57); } // le: le_s
    else if (k == 4) { localGet(L_FR64); i64c(0); byte(0x53); } // s
    else return false;
  } else if (pending == LAZY_LOGIC) {
    if (k == 0 || k == 1) i32c(0);
    else if (k == 2 || k == 3) { localGet(L_FR64); byte(0x50); } // i64.eqz
    else if (k == 4 || k == 6) { localGet(L_FR64); i64c(0); byte(0x53); }
    else if (k == 7) { localGet(L_FR64); i64c(0); byte(0x57); }
    else return false;
  } else {
    return false;
  }
  if (cc & 1) byte(0x45);
  return true;
}

// A 64-bit ALU operation (forms as for 32 bits).
function emitAlu64(e: usize, h: u8, i: u32, next: u64): void {
  let op = <u32>load<u8>(e + E_OP);
  let r1 = <u32>load<u8>(e + E_R1);
  if (h == H_ALU_MI || h == H_ALU_MR) { // [mem] op imm/reg, no write-back
    emitEa(e, next); localSet(L_M); emitLoad(8, i, next); localGet(L_V); localSet(L_A64);
    if (h == H_ALU_MR) reg64(r1); else i64c(<u64><i64>load<i32>(e + E_IMM));
    localSet(L_B64);
  } else {
    reg64(r1); localSet(L_A64);
    if (h == H_ALU_RR) reg64(<u32>load<u8>(e + E_R2));
    else if (h == H_ALU_RI) i64c(<u64><i64>load<i32>(e + E_IMM));
    else { emitEa(e, next); localSet(L_M); emitLoad(8, i, next); localGet(L_V); }
    localSet(L_B64);
  }
  localGet(L_A64); localGet(L_B64);
  let lazy: u32;
  switch (op) {
    case ALU_ADD: byte(0x7c); lazy = LAZY_ADD; break;
    case ALU_OR: byte(0x84); lazy = LAZY_LOGIC; break;
    case ALU_AND: byte(0x83); lazy = LAZY_LOGIC; break;
    case ALU_XOR: byte(0x85); lazy = LAZY_LOGIC; break;
    default: byte(0x7d); lazy = LAZY_SUB; break; // sub, cmp
  }
  localSet(L_R64);
  if (load<u8>(e + E_FLAGS) & F_WB) { localGet(L_CPU); localGet(L_R64); storeReg(r1); }
  localGet(L_A64); localSet(L_FA64);
  localGet(L_B64); localSet(L_FB64);
  localGet(L_R64); localSet(L_FR64);
  pending = lazy;
  pendingSize = 8;
}

// The TLB probe of run()'s hostRead/hostWrite for the address in L_M: an
// i32, nonzero when `tags` has the page and the access stays in it.
function tlbProbe(tags: usize, size: u32): void {
  localGet(L_M); i64c(12); byte(0x88); byte(0x23); uleb(G_KEY); byte(0x85); localSet(L_VP); // tag: i64.shr_u, i64.xor
  localGet(L_VP); byte(0xa7); i32c(<i32>(TLB_ENTRIES - 1)); byte(0x71); localSet(L_SL);
  localGet(L_SL); i32c(3); byte(0x74); byte(0x29); byte(3); uleb(<u32>tags); // i64.load tags[slot]
  localGet(L_VP); byte(0x51); // == tag
  localGet(L_M); byte(0xa7); i32c(<i32>PAGE_MASK); byte(0x71); i32c(<i32>(PAGE_SIZE - size)); byte(0x4d);
  byte(0x71);
}

// The host address of the byte at L_M, after a successful probe of `hosts`.
function tlbHost(hosts: usize): void {
  localGet(L_SL); i32c(2); byte(0x74); byte(0x28); byte(2); uleb(<u32>hosts);
  localGet(L_M); byte(0xa7); i32c(<i32>PAGE_MASK); byte(0x71); byte(0x6a);
}

// L_V = the size-byte value at L_M (zero-extended); a fault leaves the block.
function emitLoad(size: u32, i: u32, next: u64): void {
  tlbProbe(TLB_READ_TAGS, size);
  byte(0x04); byte(0x40);
  tlbHost(TLB_READ_HOST);
  if (size == 1) { byte(0x31); byte(0); } else if (size == 2) { byte(0x33); byte(1); }
  else if (size == 4) { byte(0x35); byte(2); } else { byte(0x29); byte(3); }
  byte(0); localSet(L_V);
  byte(0x05);
  localGet(L_M); i32c(<i32>size); byte(0x10); uleb(F_RD); localSet(L_V);
  byte(0x23); uleb(G_STOP); exitIf(i + 1, next);
  byte(0x0b);
}

// Store the low size bytes of L_V at L_M; a fault or a write to the code page
// leaves the block (a frame with cached code never has a write TLB entry).
function emitStore(size: u32, i: u32, next: u64): void {
  tlbProbe(TLB_WRITE_TAGS, size);
  byte(0x04); byte(0x40);
  tlbHost(TLB_WRITE_HOST); localGet(L_V);
  if (size == 1) { byte(0x3c); byte(0); } else if (size == 2) { byte(0x3d); byte(1); }
  else if (size == 4) { byte(0x3e); byte(2); } else { byte(0x37); byte(3); }
  byte(0);
  byte(0x05);
  localGet(L_M); i32c(<i32>size); localGet(L_V); byte(0x10); uleb(F_WR); exitIf(i + 1, next);
  byte(0x0b);
}

// The effective address of e as an i64 (next: the address after the instruction).
function emitEa(e: usize, next: u64): void {
  i64c(<u64><i64>load<i32>(e + E_DISP));
  let base = <u32>load<u8>(e + E_BASE), index = <u32>load<u8>(e + E_INDEX);
  if (base != ZREG) { reg64(base); byte(0x7c); }
  if (index != ZREG) { reg64(index); i64c(<u64>load<u8>(e + E_SCALE)); byte(0x86); byte(0x7c); }
  if (load<u8>(e + E_FLAGS) & F_RIP) { i64c(next); byte(0x7c); }
  if (!mode64) { i64c(0xffffffff); byte(0x83); }
}

// One instruction at pc (index i in the block of n).
function emitInsn(e: usize, pc: u64, i: u32, n: u32, start: u64): void {
  let next = pc + <u64>load<u8>(e + E_LEN);
  let h = load<u8>(e + E_H);
  let r1 = <u32>load<u8>(e + E_R1);
  let mask: u64 = mode64 ? 0xffffffffffffffff : 0xffffffff;
  if (h == H_JCC || h == H_JMP) {
    let target = (next + <u64><i64>load<i32>(e + E_IMM)) & mask;
    if (h == H_JMP) i32c(1);
    else if (!inlineCond(<u32>load<u8>(e + E_OP))) {
      flushFlags(); pending = 0;
      i32c(<i32>load<u8>(e + E_OP)); byte(0x10); uleb(F_CC);
    }
    byte(0x04); byte(0x40); // taken
    if (target == start) { // a loop: go round again while the budget allows another pass
      localGet(L_CNT); i32c(<i32>(2 * n)); byte(0x6a); localGet(L_BUDGET); byte(0x4d); // i32.le_u
      byte(0x04); byte(0x40);
      localGet(L_CNT); i32c(<i32>n); byte(0x6a); localSet(L_CNT);
      flushFlags(); // the next pass starts with the globals current
      byte(0x0c); uleb(2); // br to the loop
      byte(0x0b);
    }
    flushFlags(); setIpTo(target); i32c(1); globalSet(G_BR); result(n); byte(0x0f);
    byte(0x0b);
    flushFlags(); setIpTo(next); i32c(1); globalSet(G_BR); result(n); byte(0x0f);
    return;
  }
  let mem = (load<u8>(e + E_FLAGS) & F_MEM) != 0;
  if (mem && h != H_LEA) { i64c(pc); globalSet(G_IS); } // for a fault
  switch (h) {
    case H_MOV_RR4: localGet(L_CPU); reg32(<u32>load<u8>(e + E_R2)); byte(0xad); storeReg(r1); break;
    case H_MOV_RI4: localGet(L_CPU); i64c(<u64>load<u32>(e + E_IMM)); storeReg(r1); break;
    case H_LEA:
      localGet(L_CPU); emitEa(e, next);
      if (load<u8>(e + E_SIZE) == 4) { i64c(0xffffffff); byte(0x83); }
      storeReg(r1);
      break;
    case H_MOV_RR: localGet(L_CPU); reg64(<u32>load<u8>(e + E_R2)); storeReg(r1); break; // 64-bit
    case H_MOV_RI: localGet(L_CPU); i64c(<u64><i64>load<i32>(e + E_IMM)); storeReg(r1); break;
    case H_MOV_RM:
      emitEa(e, next); localSet(L_M); emitLoad(8, i, next);
      localGet(L_CPU); localGet(L_V); storeReg(r1);
      break;
    case H_MOV_MR:
      emitEa(e, next); localSet(L_M); reg64(r1); localSet(L_V);
      emitStore(8, i, next);
      break;
    case H_MOV_RM4:
      emitEa(e, next); localSet(L_M); emitLoad(4, i, next);
      localGet(L_CPU); localGet(L_V); storeReg(r1);
      break;
    case H_MOV_MR4:
      emitEa(e, next); localSet(L_M);
      localGet(L_CPU); byte(0x35); byte(2); uleb(r1 << 3); localSet(L_V); // i64.load32_u
      emitStore(4, i, next);
      break;
    case H_MOV_MI:
      emitEa(e, next); localSet(L_M); i64c(<u64><i64>load<i32>(e + E_IMM)); localSet(L_V);
      emitStore(<u32>load<u8>(e + E_SIZE), i, next);
      break;
    case H_IMUL: { // imul r32, r/m32 [, imm]: the core computes product and flags
      if (mem) { emitEa(e, next); localSet(L_M); emitLoad(4, i, next); localGet(L_V); byte(0xa7); }
      else reg32(<u32>load<u8>(e + E_R2));
      localSet(L_B);
      if (load<u8>(e + E_FLAGS) & F_IMM) { localGet(L_B); i32c(load<i32>(e + E_IMM)); }
      else { reg32(r1); localGet(L_B); }
      byte(0x10); uleb(F_MUL); localSet(L_R);
      pending = 0; // imul2 set every arithmetic flag
      localGet(L_CPU); localGet(L_R); byte(0xad); storeReg(r1);
      break;
    }
    case H_MOVX: { // movzx/movsx into a 32-bit register
      let k = load<u8>(e + E_OP);
      let word = (k & MOVX_WORD) != 0, signed = (k & MOVX_SIGNED) != 0;
      if (mem) {
        emitEa(e, next); localSet(L_M); emitLoad(word ? 2 : 1, i, next);
        localGet(L_CPU); localGet(L_V); byte(0xa7); // i32.wrap_i64
      } else {
        localGet(L_CPU);
        let r2 = <u32>load<u8>(e + E_R2);
        localGet(L_CPU);
        let off = r2 << 3;
        if (!word && r2 >= 4 && r2 < 8 && !(load<u8>(e + E_FLAGS) & F_REX)) off = ((r2 - 4) << 3) + 1; // ah..bh
        byte(word ? 0x2f : 0x2d); byte(0); uleb(off); // i32.load16_u / i32.load8_u
      }
      if (signed) byte(word ? 0xc1 : 0xc0); // i32.extend16_s / i32.extend8_s
      byte(0xad); storeReg(r1);
      break;
    }
    default: { // ALU
      let op = <u32>load<u8>(e + E_OP);
      let size = <u32>load<u8>(e + E_SIZE);
      if (size == 8) { emitAlu64(e, h, i, next); break; }
      if (h == H_ALU_MI4 || h == H_ALU_MI || h == H_ALU_MR4) { // [mem] op imm/reg, no write-back
        emitEa(e, next); localSet(L_M); emitLoad(size, i, next); localGet(L_V); byte(0xa7); localSet(L_A);
        if (h == H_ALU_MR4) reg32(r1); else i32c(size == 1 ? load<i32>(e + E_IMM) & 0xff : load<i32>(e + E_IMM));
        localSet(L_B);
      } else {
        reg32(r1); localSet(L_A);
        if (h == H_ALU_RR4) { reg32(<u32>load<u8>(e + E_R2)); localSet(L_B); }
        else if (h == H_ALU_RI4) { i32c(load<i32>(e + E_IMM)); localSet(L_B); }
        else {
          emitEa(e, next); localSet(L_M); emitLoad(4, i, next); localGet(L_V); byte(0xa7); localSet(L_B);
        }
      }
      localGet(L_A); localGet(L_B);
      let lazy: u32;
      switch (op) {
        case ALU_ADD: byte(0x6a); lazy = LAZY_ADD; break;
        case ALU_OR: byte(0x72); lazy = LAZY_LOGIC; break;
        case ALU_AND: byte(0x71); lazy = LAZY_LOGIC; break;
        case ALU_XOR: byte(0x73); lazy = LAZY_LOGIC; break;
        default: byte(0x6b); lazy = LAZY_SUB; break; // sub, cmp
      }
      if (size == 1) { i32c(0xff); byte(0x71); }
      localSet(L_R);
      if (load<u8>(e + E_FLAGS) & F_WB) { localGet(L_CPU); localGet(L_R); byte(0xad); storeReg(r1); }
      localGet(L_A); localSet(L_FA);
      localGet(L_B); localSet(L_FB);
      localGet(L_R); localSet(L_FR);
      pending = lazy;
      pendingSize = size;
    }
  }
  if (i + 1 == n) { flushFlags(); setIpTo(next); result(n); byte(0x0f); } // the block ends without a branch
}

// Queue the block starting at e0 (ip is its address); false when the queue is full.
function compile(e0: usize): bool {
  let q = load<u32>(JIT_QUEUE);
  if (q >= JIT_QUEUE_MAX || codeUsed + 8192 > JIT_CODE_SIZE) return false;
  let page = codePtr() - (<usize>ip & 0xfff);
  let off = <u32>(e0 - codeEntries) >> ICACHE_ENTRY_SHIFT;
  let n: u32 = 0;
  while (n < MAX_INSNS && off <= PAGE_SIZE - 16) {
    let e = codeEntries + (<usize>off << ICACHE_ENTRY_SHIFT);
    if (load<u64>(e + E_TAG) != codeKey) predecodeAt(e, page + off);
    if (!supported(e)) break;
    n++;
    off += <u32>load<u8>(e + E_LEN);
    let h = load<u8>(e + E_H);
    if (h == H_JCC || h == H_JMP) break;
  }
  if (n < 2) return true; // not worth a module
  let start = JIT_CODE + codeUsed;
  out = start;
  byte(0); byte(0x61); byte(0x73); byte(0x6d); byte(1); byte(0); byte(0); byte(0);
  byte(1); let s = sizeSlot(); // types: 0 (i64 i32) -> i64, 1 (i64 i32 i64) -> i32, 2 (i32) -> i32
  byte(4);
  byte(0x60); byte(2); byte(0x7e); byte(0x7f); byte(1); byte(0x7e);
  byte(0x60); byte(3); byte(0x7e); byte(0x7f); byte(0x7e); byte(1); byte(0x7f);
  byte(0x60); byte(1); byte(0x7f); byte(1); byte(0x7f);
  byte(0x60); byte(2); byte(0x7f); byte(0x7f); byte(1); byte(0x7f); // 3: the block (cpu, budget) -> entered; imul
  patchSize(s);
  byte(2); s = sizeSlot(); // imports
  uleb(15);
  name("m"); name("mem"); byte(2); byte(0); byte(1);
  name("g"); name("ip"); byte(3); byte(0x7e); byte(1);
  name("g"); name("is"); byte(3); byte(0x7e); byte(1);
  name("g"); name("stop"); byte(3); byte(0x7f); byte(1);
  name("g"); name("op"); byte(3); byte(0x7f); byte(1);
  name("g"); name("sz"); byte(3); byte(0x7f); byte(1);
  name("g"); name("a"); byte(3); byte(0x7e); byte(1);
  name("g"); name("b"); byte(3); byte(0x7e); byte(1);
  name("g"); name("r"); byte(3); byte(0x7e); byte(1);
  name("g"); name("br"); byte(3); byte(0x7f); byte(1);
  name("g"); name("key"); byte(3); byte(0x7e); byte(1);
  name("f"); name("rd"); byte(0); byte(0);
  name("f"); name("wr"); byte(0); byte(1);
  name("f"); name("cc"); byte(0); byte(2);
  name("f"); name("mul"); byte(0); byte(3);
  patchSize(s);
  byte(3); byte(2); byte(1); byte(3); // one function of type 3
  byte(7); byte(5); byte(1); byte(1); byte(0x62); byte(0); byte(4); // export "b" = function 4
  byte(10); s = sizeSlot();
  byte(1);
  let body = sizeSlot();
  byte(6); byte(3); byte(0x7f); byte(1); byte(0x7e); byte(4); byte(0x7f); byte(2); byte(0x7e); byte(1); byte(0x7f);
  byte(6); byte(0x7e); // a b r: i32, m: i64, cnt fa fb fr: i32, vp v: i64, sl: i32, 64-bit a b r fa fb fr: i64
  // Only at the address it was compiled for.
  byte(0x23); uleb(G_IP); i64c(ip); byte(0x52); byte(0x04); byte(0x40); i32c(0); byte(0x0f); byte(0x0b); // i64.ne
  off = <u32>(e0 - codeEntries) >> ICACHE_ENTRY_SHIFT;
  let pc = ip;
  byte(0x03); byte(0x40); // loop: a closing jcc/jmp back to the start branches here
  pending = 0;
  for (let i: u32 = 0; i < n; i++) {
    let e = codeEntries + (<usize>off << ICACHE_ENTRY_SHIFT);
    emitInsn(e, pc, i, n, ip);
    let len = <u32>load<u8>(e + E_LEN);
    off += len;
    pc += len;
  }
  byte(0x0b); // end loop
  byte(0x00); // unreachable: every path returned
  byte(0x0b);
  patchSize(body);
  patchSize(s);
  let item = JIT_QUEUE + 8 + q * JIT_QUEUE_ITEM;
  store<u32>(item, <u32>e0);
  store<u64>(item + 4, load<u64>(e0 + E_TAG));
  store<u32>(item + 12, <u32>start);
  store<u32>(item + 16, <u32>(out - start));
  store<u32>(item + 20, n);
  codeUsed += <u32>(out - start);
  store<u32>(JIT_QUEUE, q + 1);
  blocks++;
  return true;
}

// The host put request i's function at table index `index`.
export function blockInstall(i: u32, index: u32): void {
  let item = JIT_QUEUE + 8 + i * JIT_QUEUE_ITEM;
  let e = <usize>load<u32>(item);
  if (load<u64>(e + E_TAG) != load<u64>(item + 4)) return; // its code changed meanwhile
  store<u32>(e + E_BLOCK, index);
  store<u16>(e + E_HOT, <u16>load<u32>(item + 20)); // from now on: the block's length
}

// The host compiled everything queued: the buffer can be reused.
export function blockQueueDone(): void {
  store<u32>(JIT_QUEUE, 0);
  codeUsed = 0;
}
