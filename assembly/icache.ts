// The decoded-instruction cache: the frequent instruction forms, decoded once
// per code frame and offset into a 32-byte entry that fast.ts executes
// without fetching or decoding again. Everything else gets a GENERIC entry
// and runs through interp.ts's step() as before.
//
// An entry lives at codeEntries + (ip & 0xfff) * 32 and is valid while its
// tag equals codeKey (the frame's generation, the frame, the code size; see
// prepareFetch). Writes to a frame that has entries bump its generation
// (frames.ts: frameWritten), so stale entries never match. Instructions that
// start within 16 bytes of a page end get a GENERIC entry (run() steps them
// from a buffer holding the next page's first bytes).
import { ip, mode64 } from "./cpu";
import { codeKey, codePtr, PREFIX_KIND } from "./decode";
import { codeHost } from "./tlb";
import { frameMarkCode } from "./frames";
import { ALU_AND, ALU_CMP } from "./alu";

// Entry fields (byte offsets).
export const E_TAG: usize = 0; // u64 codeKey when valid
export const E_H: usize = 8; // u8 handler (H_*)
export const E_LEN: usize = 9; // u8 instruction length
export const E_SIZE: usize = 10; // u8 operand size: 1, 2, 4 or 8
export const E_OP: usize = 11; // u8 ALU op, condition code, shift kind, extension kind...
export const E_R1: usize = 12; // u8 first register operand (the destination where there is one)
export const E_R2: usize = 13; // u8 second register operand
export const E_BASE: usize = 14; // u8 address base register, or ZREG
export const E_INDEX: usize = 15; // u8 address index register, or ZREG
export const E_SCALE: usize = 16; // u8 index shift
export const E_FLAGS: usize = 17; // u8 F_*
export const E_DISP: usize = 24; // i32 displacement
export const E_IMM: usize = 28; // i32 immediate, sign-extended where the encoding says so

// A register number whose slot in the CPU block (CPU_ZERO) always reads 0.
export const ZREG: u32 = 37;

export const F_REX: u8 = 1; // a REX prefix was present (byte registers are spl..dil, not ah..bh)
export const F_RIP: u8 = 2; // RIP-relative address: add the next instruction's address
export const F_WB: u8 = 4; // ALU: write the result back (not cmp/test)
export const F_MEM: u8 = 8; // the r/m operand is memory
export const F_CL: u8 = 16; // shift: the count is cl
export const F_IMM: u8 = 32; // imul: three-operand form with an immediate

// Handlers. Register/memory forms are separate for the hottest ones.
export const H_GENERIC: u8 = 0;
export const H_ALU_RR: u8 = 1; // r1 = r1 op r2
export const H_ALU_RI: u8 = 2; // r1 = r1 op imm
export const H_ALU_RM: u8 = 3; // r1 = r1 op [ea]
export const H_ALU_MR: u8 = 4; // [ea] = [ea] op r1
export const H_ALU_MI: u8 = 5; // [ea] = [ea] op imm
export const H_MOV_RR: u8 = 6; // r1 = r2
export const H_MOV_RM: u8 = 7; // r1 = [ea]
export const H_MOV_MR: u8 = 8; // [ea] = r1
export const H_MOV_RI: u8 = 9; // r1 = imm
export const H_MOV_MI: u8 = 10; // [ea] = imm
export const H_LEA: u8 = 11;
export const H_MOVX: u8 = 12; // movzx/movsx/movsxd; op: MOVX_* bits
export const MOVX_WORD: u8 = 1; // the source is a word (else a byte, or MOVX_DWORD)
export const MOVX_SIGNED: u8 = 2; // sign-extend (else zero-extend)
export const MOVX_DWORD: u8 = 4; // the source is a dword (movsxd, cdqe)
export const H_JCC: u8 = 13;
export const H_JMP: u8 = 14;
export const H_CALL: u8 = 15;
export const H_RET: u8 = 16;
export const H_PUSH_R: u8 = 17;
export const H_POP_R: u8 = 18;
export const H_PUSH_I: u8 = 19;
export const H_INCDEC: u8 = 20; // op 0 inc, 1 dec
export const H_SHIFT: u8 = 21; // op: group 2 kind; count imm, or cl with F_CL
export const H_IMUL: u8 = 22;
export const H_CMOV: u8 = 23;
export const H_SETCC: u8 = 24;
export const H_NOP: u8 = 25;
export const H_CALL_IND: u8 = 26;
export const H_JMP_IND: u8 = 27;
// 32-bit instances of H_ALU_RR..H_MOV_RI (H_ALU_RR4 = H_ALU_RR + SIZE4_OFFSET...).
const SIZE4_OFFSET: u8 = 27;
export const H_ALU_RR4: u8 = 28;
export const H_ALU_RI4: u8 = 29;
export const H_ALU_RM4: u8 = 30;
export const H_ALU_MR4: u8 = 31;
export const H_ALU_MI4: u8 = 32;
export const H_MOV_RR4: u8 = 33;
export const H_MOV_RM4: u8 = 34;
export const H_MOV_MR4: u8 = 35;
export const H_MOV_RI4: u8 = 36;

// ModRM of the instruction being decoded.
let mMod: u32 = 0;
let mReg: u32 = 0;
let mRm: u32 = 0;

// Decode ModRM/SIB/displacement at q into e; returns the address after them.
function parseModrm(e: usize, q: usize, rx: u32): usize {
  let b = <u32>load<u8>(q++);
  mMod = b >> 6;
  mReg = ((b >> 3) & 7) | ((rx & 4) << 1);
  let r = b & 7;
  store<u8>(e + E_R1, <u8>mReg);
  if (mMod == 3) {
    mRm = r | ((rx & 1) << 3);
    store<u8>(e + E_R2, <u8>mRm);
    return q;
  }
  let base: u32 = ZREG, index: u32 = ZREG, scale: u32 = 0, disp: i32 = 0;
  if (r == 4) {
    let sib = <u32>load<u8>(q++);
    let bs = (sib & 7) | ((rx & 1) << 3);
    let ix = ((sib >> 3) & 7) | ((rx & 2) << 2);
    if (ix != 4) { index = ix; scale = sib >> 6; }
    if ((bs & 7) == 5 && mMod == 0) { disp = load<i32>(q); q += 4; } else base = bs;
  } else if (r == 5 && mMod == 0) {
    disp = load<i32>(q); q += 4;
    if (mode64) store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) | F_RIP);
  } else {
    base = r | ((rx & 1) << 3);
  }
  if (mMod == 1) { disp += <i32>load<i8>(q); q++; }
  else if (mMod == 2) { disp += load<i32>(q); q += 4; }
  store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) | F_MEM);
  store<u8>(e + E_BASE, <u8>base);
  store<u8>(e + E_INDEX, <u8>index);
  store<u8>(e + E_SCALE, <u8>scale);
  store<i32>(e + E_DISP, disp);
  return q;
}

@inline function isMem(): bool { return mMod != 3; }

// Decode the instruction at ip (at least 16 bytes before its page's end) into e.
export function predecode(e: usize): void { predecodeAt(e, codePtr()); }

// The same for the bytes at host address p in the code page.
export function predecodeAt(e: usize, p: usize): void {
  frameMarkCode(codeHost);
  memory.fill(e, 0, 32);
  store<u64>(e + E_TAG, codeKey);
  if ((<u32>p & 0xfff) > 4096 - 16) return; // it may run into the next page: GENERIC
  let h = decodeForm(e, p);
  if (h >= H_ALU_RR && h <= H_MOV_RI && load<u8>(e + E_SIZE) == 4) h += SIZE4_OFFSET;
  store<u8>(e + E_H, h);
}

// The handler for the bytes at p (filling e's operands and length), or H_GENERIC.
function decodeForm(e: usize, p: usize): u8 {
  let q = p;
  let b = <u32>load<u8>(q++);
  let rx: u32 = 0;
  if (mode64 && (b & 0xf0) == 0x40) {
    rx = b & 0xf;
    store<u8>(e + E_FLAGS, F_REX);
    b = <u32>load<u8>(q++);
  }
  let k = <u32>load<u8>(PREFIX_KIND + b);
  if (k == 1 || (k == 2 && mode64)) return H_GENERIC; // other prefixes
  let size: u32 = (rx & 8) ? 8 : 4;
  let h: u8 = H_GENERIC;
  if (b < 0x40 && (b & 7) < 6) { // the eight ALU operations, six forms each
    let op = b >> 3;
    let form = b & 7;
    let flags: u8 = op == ALU_CMP ? 0 : F_WB;
    store<u8>(e + E_OP, <u8>op);
    if (form < 4) {
      let sz: u32 = (form & 1) ? size : 1;
      store<u8>(e + E_SIZE, <u8>sz);
      q = parseModrm(e, q, rx);
      if (!isMem()) {
        if (form < 2) { store<u8>(e + E_R1, <u8>mRm); store<u8>(e + E_R2, <u8>mReg); }
        h = H_ALU_RR;
      } else {
        h = form < 2 ? H_ALU_MR : H_ALU_RM;
      }
    } else {
      let sz: u32 = form == 4 ? 1 : size;
      store<u8>(e + E_SIZE, <u8>sz);
      store<u8>(e + E_R1, 0);
      if (form == 4) { store<i32>(e + E_IMM, <i32>load<i8>(q)); q++; }
      else { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
      h = H_ALU_RI;
    }
    store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) | flags);
  } else {
    switch (b) {
      case 0x0f: return decode0f(e, p, q, rx, size);
      case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
      case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
        // inc/dec r32 (32-bit code only: in long mode these are REX, handled above)
        store<u8>(e + E_SIZE, 4);
        store<u8>(e + E_R1, <u8>(b & 7));
        store<u8>(e + E_OP, <u8>((b >> 3) & 1));
        h = H_INCDEC;
        break;
      case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
      case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
        store<u8>(e + E_SIZE, mode64 ? 8 : 4);
        store<u8>(e + E_R1, <u8>((b & 7) | ((rx & 1) << 3)));
        h = b < 0x58 ? H_PUSH_R : H_POP_R;
        break;
      case 0x68: case 0x6a:
        store<u8>(e + E_SIZE, mode64 ? 8 : 4);
        if (b == 0x6a) { store<i32>(e + E_IMM, <i32>load<i8>(q)); q++; }
        else { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
        h = H_PUSH_I;
        break;
      case 0x63: // movsxd r64, r/m32 (with REX.W; in 32-bit code this is arpl)
        if (!mode64 || size != 8) break;
        store<u8>(e + E_SIZE, 8);
        store<u8>(e + E_OP, MOVX_SIGNED | MOVX_DWORD);
        q = parseModrm(e, q, rx);
        h = H_MOVX;
        break;
      case 0x98: // cwde (eax = ax sign-extended), cdqe with REX.W (rax = eax)
        store<u8>(e + E_SIZE, <u8>size);
        store<u8>(e + E_OP, size == 8 ? MOVX_SIGNED | MOVX_DWORD : MOVX_SIGNED | MOVX_WORD);
        store<u8>(e + E_R1, 0);
        store<u8>(e + E_R2, 0);
        h = H_MOVX;
        break;
      case 0x69: case 0x6b:
        store<u8>(e + E_SIZE, <u8>size);
        q = parseModrm(e, q, rx);
        if (b == 0x6b) { store<i32>(e + E_IMM, <i32>load<i8>(q)); q++; }
        else { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
        store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) | F_IMM);
        h = H_IMUL;
        break;
      case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
      case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
        store<u8>(e + E_OP, <u8>(b & 15));
        store<i32>(e + E_IMM, <i32>load<i8>(q)); q++;
        h = H_JCC;
        break;
      case 0x80: case 0x81: case 0x83: {
        let sz: u32 = b == 0x80 ? 1 : size;
        store<u8>(e + E_SIZE, <u8>sz);
        q = parseModrm(e, q, rx);
        let op = mReg & 7;
        store<u8>(e + E_OP, <u8>op);
        if (op != ALU_CMP) store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) | F_WB);
        if (b == 0x81) { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
        else { store<i32>(e + E_IMM, <i32>load<i8>(q)); q++; }
        if (isMem()) h = H_ALU_MI;
        else { store<u8>(e + E_R1, <u8>mRm); h = H_ALU_RI; }
        break;
      }
      case 0x84: case 0x85: // test: and without write-back
        store<u8>(e + E_SIZE, <u8>(b == 0x84 ? 1 : size));
        store<u8>(e + E_OP, <u8>ALU_AND);
        q = parseModrm(e, q, rx);
        if (isMem()) h = H_ALU_MR;
        else { store<u8>(e + E_R1, <u8>mRm); store<u8>(e + E_R2, <u8>mReg); h = H_ALU_RR; }
        break;
      case 0x88: case 0x89: case 0x8a: case 0x8b: {
        store<u8>(e + E_SIZE, <u8>((b & 1) ? size : 1));
        q = parseModrm(e, q, rx);
        if (isMem()) h = b < 0x8a ? H_MOV_MR : H_MOV_RM;
        else {
          if (b < 0x8a) { store<u8>(e + E_R1, <u8>mRm); store<u8>(e + E_R2, <u8>mReg); }
          h = H_MOV_RR;
        }
        break;
      }
      case 0x8d:
        store<u8>(e + E_SIZE, <u8>size);
        q = parseModrm(e, q, rx);
        if (isMem()) h = H_LEA;
        break;
      case 0x90:
        if (!(rx & 1)) h = H_NOP;
        break;
      case 0xa8: case 0xa9:
        store<u8>(e + E_SIZE, <u8>(b == 0xa8 ? 1 : size));
        store<u8>(e + E_OP, <u8>ALU_AND);
        store<u8>(e + E_R1, 0);
        if (b == 0xa8) { store<i32>(e + E_IMM, <i32>load<u8>(q)); q++; }
        else { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
        h = H_ALU_RI;
        break;
      case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
        store<u8>(e + E_SIZE, 1);
        store<u8>(e + E_R1, <u8>((b & 7) | ((rx & 1) << 3)));
        store<i32>(e + E_IMM, <i32>load<u8>(q)); q++;
        h = H_MOV_RI;
        break;
      case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
        if (size == 8) break; // imm64
        store<u8>(e + E_SIZE, 4);
        store<u8>(e + E_R1, <u8>((b & 7) | ((rx & 1) << 3)));
        store<i32>(e + E_IMM, load<i32>(q)); q += 4;
        h = H_MOV_RI;
        break;
      case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd3: {
        store<u8>(e + E_SIZE, <u8>((b & 1) ? size : 1));
        q = parseModrm(e, q, rx);
        store<u8>(e + E_OP, <u8>(mReg & 7));
        if (b < 0xd0) { store<i32>(e + E_IMM, <i32>load<u8>(q)); q++; }
        else if (b == 0xd3) store<u8>(e + E_FLAGS, load<u8>(e + E_FLAGS) | F_CL);
        else store<i32>(e + E_IMM, 1);
        if (!isMem()) store<u8>(e + E_R1, <u8>mRm);
        h = H_SHIFT;
        break;
      }
      case 0xc3:
        store<u8>(e + E_SIZE, mode64 ? 8 : 4);
        h = H_RET;
        break;
      case 0xc6: case 0xc7: {
        let sz: u32 = b == 0xc6 ? 1 : size;
        store<u8>(e + E_SIZE, <u8>sz);
        q = parseModrm(e, q, rx);
        if ((mReg & 7) != 0) break;
        if (sz == 1) { store<i32>(e + E_IMM, <i32>load<u8>(q)); q++; }
        else { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
        if (isMem()) h = H_MOV_MI;
        else { store<u8>(e + E_R1, <u8>mRm); h = H_MOV_RI; }
        break;
      }
      case 0xe8: case 0xe9: case 0xeb:
        store<u8>(e + E_SIZE, mode64 ? 8 : 4);
        if (b == 0xeb) { store<i32>(e + E_IMM, <i32>load<i8>(q)); q++; }
        else { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
        h = b == 0xe8 ? H_CALL : H_JMP;
        break;
      case 0xf6: case 0xf7: { // test Ev, imm only
        let sz: u32 = b == 0xf6 ? 1 : size;
        store<u8>(e + E_SIZE, <u8>sz);
        q = parseModrm(e, q, rx);
        if ((mReg & 7) != 0) break;
        store<u8>(e + E_OP, <u8>ALU_AND);
        if (sz == 1) { store<i32>(e + E_IMM, <i32>load<u8>(q)); q++; }
        else { store<i32>(e + E_IMM, load<i32>(q)); q += 4; }
        if (isMem()) h = H_ALU_MI;
        else { store<u8>(e + E_R1, <u8>mRm); h = H_ALU_RI; }
        break;
      }
      case 0xff: {
        q = parseModrm(e, q, rx);
        let k = mReg & 7;
        if (k < 2) { // inc, dec
          store<u8>(e + E_SIZE, <u8>size);
          store<u8>(e + E_OP, <u8>k);
          if (!isMem()) store<u8>(e + E_R1, <u8>mRm);
          h = H_INCDEC;
        } else if (k == 2 || k == 4) { // call, jmp near indirect
          store<u8>(e + E_SIZE, mode64 ? 8 : 4);
          if (!isMem()) store<u8>(e + E_R1, <u8>mRm);
          h = k == 2 ? H_CALL_IND : H_JMP_IND;
        }
        break;
      }
    }
  }
  store<u8>(e + E_LEN, <u8>(q - p));
  return h;
}

// The 0x0f map: jcc rel32, setcc, cmov, movzx/movsx, imul, hint nops.
function decode0f(e: usize, p: usize, q: usize, rx: u32, size: u32): u8 {
  let b = <u32>load<u8>(q++);
  let h: u8 = H_GENERIC;
  if ((b & 0xf0) == 0x80) {
    store<u8>(e + E_OP, <u8>(b & 15));
    store<i32>(e + E_IMM, load<i32>(q)); q += 4;
    h = H_JCC;
  } else if ((b & 0xf0) == 0x40) {
    store<u8>(e + E_SIZE, <u8>size);
    store<u8>(e + E_OP, <u8>(b & 15));
    q = parseModrm(e, q, rx);
    h = H_CMOV;
  } else if ((b & 0xf0) == 0x90) {
    store<u8>(e + E_SIZE, 1);
    store<u8>(e + E_OP, <u8>(b & 15));
    q = parseModrm(e, q, rx);
    if (!isMem()) store<u8>(e + E_R1, <u8>mRm);
    h = H_SETCC;
  } else if (b == 0xb6 || b == 0xb7 || b == 0xbe || b == 0xbf) {
    store<u8>(e + E_SIZE, <u8>size);
    store<u8>(e + E_OP, ((b & 1) ? MOVX_WORD : 0) | ((b & 8) ? MOVX_SIGNED : 0)); // b6/b7 zx, be/bf sx
    q = parseModrm(e, q, rx);
    h = H_MOVX;
  } else if (b == 0xaf) {
    store<u8>(e + E_SIZE, <u8>size);
    q = parseModrm(e, q, rx);
    h = H_IMUL;
  } else if (b == 0x1f) {
    q = parseModrm(e, q, rx);
    h = H_NOP;
  }
  store<u8>(e + E_LEN, <u8>(q - p));
  return h;
}
