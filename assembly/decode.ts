// Instruction fetch, prefixes, ModRM/SIB and effective addresses. The state of
// the instruction being decoded lives in globals read by the handlers.
import { ICACHE, ICACHE_ENTRY_SHIFT, ICACHE_REGION_BITS, PAGE_MASK, PAGE_SHIFT } from "./layout";
import { cpu, fsBase, gsBase, insnStart, ip, mode64, rget64, setIp, pageFault } from "./cpu";
import { fetchPage } from "./mem";
import { codeHost, codeTag, curAs, tlbSetCode } from "./tlb";
import { ACCESS_FETCH, asResolve, resolveError } from "./pagetable";
import { frameGen } from "./frames";

// Decoded prefixes and ModRM of the current instruction.
export let opsize: u32 = 4; // operand size in bytes: 2, 4 or 8
export let adsize: u32 = 4; // address size in bytes: 2, 4 or 8
export let rex: u32 = 0; // REX prefix low nibble (W R X B)
export let rexPresent: bool = false;
export let rep: u32 = 0; // 0, 0xf2 (repne) or 0xf3 (rep/repe)
export let opsizePrefix: bool = false; // 0x66 seen (SSE uses it as a selector)
export let lockPrefix: bool = false; // 0xf0 seen (#UD on the SSE and VEX instructions)
export let segBase: u64 = 0; // base added by an fs/gs override
export let mod: u32 = 0;
export let reg: u32 = 0;
export let rm: u32 = 0;
export let ea: u64 = 0;

// Host address of the byte at ip is <u32>ip + codeDelta while the current
// instruction is inside the cached code page (or copied to the cross buffer).
let codeDelta: u32 = 0;
// The decoded-instruction cache's view of the code page: the tag its entries
// carry (generation, frame, mode) and where its region starts.
export let codeKey: u64 = 0;
export let codeEntries: usize = ICACHE;

@inline export function codePtr(): usize { return <usize>(<u32>ip + codeDelta); }

let fetchLimit: u64 = 0xffffffffffffffff; // first byte that could not be fetched
const XBUF: usize = memory.data(32);
const REGSAVE: usize = memory.data(128); // registers before an instruction that may run off fetchable code

@inline export function fetch8(): u32 {
  let v = <u32>load<u8>(<usize>(<u32>ip + codeDelta));
  setIp(ip + 1);
  return v;
}
@inline export function peek8(): u32 {
  return <u32>load<u8>(<usize>(<u32>ip + codeDelta));
}
@inline export function fetch16(): u32 {
  let v = <u32>load<u16>(<usize>(<u32>ip + codeDelta));
  setIp(ip + 2);
  return v;
}
@inline export function fetch32(): u32 {
  let v = load<u32>(<usize>(<u32>ip + codeDelta));
  setIp(ip + 4);
  return v;
}
@inline export function fetch64(): u64 {
  let v = load<u64>(<usize>(<u32>ip + codeDelta));
  setIp(ip + 8);
  return v;
}

@inline export function sx8(v: u32): u64 { return <u64><i64><i8>v; }
@inline export function sx16(v: u32): u64 { return <u64><i64><i16>v; }
@inline export function sx32(v: u32): u64 { return <u64><i64><i32>v; }

// Sign-extended 8-bit immediate; "z" immediate of the operand size (imm32 sign-extended for 64).
@inline export function imm8s(): u64 { return sx8(fetch8()); }
export function immz(size: u32): u64 {
  if (size == 2) return <u64>fetch16();
  if (size == 4) return <u64>fetch32();
  if (size == 8) return sx32(fetch32());
  return <u64>fetch8();
}

// Make the bytes at ip fetchable. Instructions at most 15 bytes long that
// start near a page end are copied into XBUF with the next page's first bytes.
// False (with a page fault recorded) when ip itself cannot be fetched.
export function prepareFetch(): bool {
  let off = <u32>ip & PAGE_MASK;
  let vpage = ip >> PAGE_SHIFT;
  fetchLimit = 0xffffffffffffffff;
  if (codeTag != vpage + 1) {
    let f = fetchPage(ip);
    if (!f) return false;
    tlbSetCode(vpage, f);
  }
  if (off <= 4096 - 16) {
    codeDelta = <u32>codeHost - (<u32>ip & ~PAGE_MASK);
    codeKey = (<u64>frameGen(codeHost) << 32) | <u64>codeHost | (mode64 ? 1 : 0);
    let region = (<u32>(codeHost >> PAGE_SHIFT) * 0x9e3779b1) >> (32 - ICACHE_REGION_BITS);
    codeEntries = ICACHE + (<usize>region << (PAGE_SHIFT + ICACHE_ENTRY_SHIFT));
    return true;
  }
  let n = 4096 - off;
  memory.copy(XBUF, codeHost + off, n);
  let next = (vpage + 1) << PAGE_SHIFT;
  let f2: usize = mode64 && (next >> 47) != 0 ? 0 : fetchPageQuiet(next);
  if (f2) memory.copy(XBUF + n, f2, 16);
  else { memory.fill(XBUF + n, 0, 16); fetchLimit = next; memory.copy(REGSAVE, cpu, 128); }
  codeDelta = <u32>XBUF - <u32>ip;
  tlbSetCode(0xffffffffffffffff, 0); // re-prepare before the next instruction
  return true;
}

let fetchErr: u32 = 0;
function fetchPageQuiet(va: u64): usize {
  let f = asResolve(curAs, va, ACCESS_FETCH);
  if (!f) fetchErr = resolveError;
  return f;
}

// After executing: did the instruction run past a page that could not be fetched?
export function checkFetchLimit(): void {
  if (ip > fetchLimit && ip - insnStart <= 16) {
    memory.copy(cpu, REGSAVE, 128); // it ran on zeros: undo its register writes
    pageFault(fetchLimit, fetchErr);
  }
}

// Prefix bytes: 1 for the legacy prefixes, 2 for 0x40..0x4f (REX in long mode only).
export const PREFIX_KIND: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

// The prefix state is at its defaults unless the last instruction had prefixes.
let prefixDirty: bool = true;

// Back to no prefixes; run() calls it when the task (and so mode64) may change.
export function resetPrefixes(): void {
  opsize = 4;
  adsize = mode64 ? 8 : 4;
  rex = 0;
  rexPresent = false;
  rep = 0;
  opsizePrefix = false;
  lockPrefix = false;
  segBase = 0;
  prefixDirty = false;
}

// Decode the prefixes; returns the first opcode byte. Most instructions have
// none: one table lookup.
@inline export function decodePrefixes(): u32 {
  let b = fetch8();
  if (prefixDirty) resetPrefixes();
  let k = <u32>load<u8>(PREFIX_KIND + b);
  if (k == 0 || (k == 2 && !mode64)) return b;
  if (k == 2) { // a lone REX prefix (REX.W on most 64-bit operations)
    let b2 = peek8();
    if (load<u8>(PREFIX_KIND + b2) == 0) {
      setIp(ip + 1);
      prefixDirty = true;
      rex = b & 0xf;
      rexPresent = true;
      if (rex & 8) opsize = 8;
      return b2;
    }
  }
  return decodePrefixesSlow(b);
}

@noinline function decodePrefixesSlow(b: u32): u32 {
  prefixDirty = true;
  while (true) {
    switch (b) {
      case 0x66: opsizePrefix = true; opsize = 2; b = fetch8(); continue;
      case 0x67: adsize = mode64 ? 4 : 2; b = fetch8(); continue;
      case 0xf2: case 0xf3: rep = b; b = fetch8(); continue;
      case 0xf0: lockPrefix = true; b = fetch8(); continue;
      case 0x26: case 0x2e: case 0x36: case 0x3e: b = fetch8(); continue;
      case 0x64: segBase = fsBase(); b = fetch8(); continue;
      case 0x65: segBase = gsBase(); b = fetch8(); continue;
    }
    if (mode64 && (b & 0xf0) == 0x40) {
      rex = b & 0xf;
      rexPresent = true;
      if (rex & 8) opsize = 8;
      b = fetch8();
      // A REX prefix only counts when it comes last.
      if (load<u8>(PREFIX_KIND + b) != 0) {
        rex = 0; rexPresent = false;
        if (opsize == 8) opsize = opsizePrefix ? 2 : 4;
        continue;
      }
    }
    return b;
  }
}

// Operand size of instructions that default to 64 bits in long mode (push, pop, call, jmp).
@inline export function stackOpsize(): u32 {
  return mode64 ? (opsizePrefix && !(rex & 8) ? 2 : 8) : opsize;
}

@inline export function adMask(): u64 {
  return adsize == 8 ? 0xffffffffffffffff : adsize == 4 ? 0xffffffff : 0xffff;
}

// Apply the address size and any segment override to an offset.
@inline export function linear(off: u64): u64 {
  let a = (off & adMask()) + segBase;
  return mode64 ? a : a & 0xffffffff;
}

// Decode ModRM (and SIB/displacement). `immLen` is the number of immediate
// bytes that follow, which RIP-relative addressing needs.
export function decodeModrm(immLen: u32): void { modrm(immLen); }

// The same, inlined into the handlers of the most frequent instructions.
@inline export function modrm(immLen: u32): void {
  let b = fetch8();
  let x = rex;
  let md = b >> 6, r = b & 7;
  mod = md;
  reg = ((b >> 3) & 7) | ((x & 4) << 1);
  if (md == 3) { rm = r | ((x & 1) << 3); return; }
  rm = r;
  if (adsize == 2) { ea = linear(ea16()); return; }
  let off: u64 = 0;
  if (r == 4) {
    let sib = fetch8();
    let base = (sib & 7) | ((x & 1) << 3);
    let index = ((sib >> 3) & 7) | ((x & 2) << 2);
    if (index != 4) off = rget64(index) << (sib >> 6);
    if ((base & 7) == 5 && md == 0) off += sx32(fetch32());
    else off += rget64(base);
  } else if (r == 5 && md == 0) {
    let d = sx32(fetch32());
    if (mode64) { ea = linear(ip + immLen + d); return; } // RIP-relative
    off = d;
  } else {
    off = rget64(r | ((x & 1) << 3));
  }
  if (md == 1) off += imm8s();
  else if (md == 2) off += sx32(fetch32());
  ea = linear(off);
}

// 16-bit addressing forms (0x67 in 32-bit code).
function ea16(): u64 {
  let off: u32 = 0;
  let bx = <u32>load<u16>(cpu + 3 * 8), bp = <u32>load<u16>(cpu + 5 * 8);
  let si = <u32>load<u16>(cpu + 6 * 8), di = <u32>load<u16>(cpu + 7 * 8);
  switch (rm) {
    case 0: off = bx + si; break;
    case 1: off = bx + di; break;
    case 2: off = bp + si; break;
    case 3: off = bp + di; break;
    case 4: off = si; break;
    case 5: off = di; break;
    case 6: off = mod == 0 ? fetch16() : bp; break;
    default: off = bx; break;
  }
  if (mod == 1) off += <u32>imm8s();
  else if (mod == 2) off += fetch16();
  return <u64>(off & 0xffff);
}

export function setRm(v: u32): void { rm = v; }
export function setEa(v: u64): void { ea = v; }
export function setOpsize(v: u32): void { opsize = v; }
// A VEX prefix carries REX's R, X, B and W (inverted in the encoding).
export function setVexRex(x: u32): void {
  rex = x; rexPresent = true; prefixDirty = true;
  opsize = (x & 8) != 0 ? 8 : 4;
}
