// Guest memory as the CPU sees it: TLB fast paths, page walks on a miss.
// A failed access records a page fault (see cpu.ts) and reads as 0; writes
// after a fault in the same instruction are dropped.
import { PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, TLB_READ_HOST, TLB_READ_TAGS, TLB_WRITE_HOST, TLB_WRITE_TAGS } from "./layout";
import { ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE, asResolve, resolveError } from "./pagetable";
import { mode64, pageFault, stopped } from "./cpu";
import { curAs, tlbFillExec, tlbFillRead, tlbFillWrite, tlbLookupExec, tlbSlot, tlbTag } from "./tlb";

// Frame for a data access, filling the TLB; 0 after recording a fault.
function slowPage(va: u64, access: u32): usize {
  if (mode64 && (va >> 47) != 0) { pageFault(va, access); return 0; }
  let f = asResolve(curAs, va, access);
  if (!f) { pageFault(va, resolveError); return 0; }
  let vp = va >> PAGE_SHIFT;
  if (access == ACCESS_WRITE) tlbFillWrite(vp, f);
  else if (access == ACCESS_READ) tlbFillRead(vp, f);
  return f;
}

// Host address of a guest byte for reading / writing; 0 on fault.
@inline export function hostRead(va: u64): usize {
  let t = tlbTag(va >> PAGE_SHIFT);
  let i = tlbSlot(t);
  if (load<u64>(TLB_READ_TAGS + (i << 3)) == t) {
    return <usize>load<u32>(TLB_READ_HOST + (i << 2)) + <usize>(va & PAGE_MASK);
  }
  let f = slowPage(va, ACCESS_READ);
  return f ? f + <usize>(va & PAGE_MASK) : 0;
}

@inline export function hostWrite(va: u64): usize {
  let t = tlbTag(va >> PAGE_SHIFT);
  let i = tlbSlot(t);
  if (load<u64>(TLB_WRITE_TAGS + (i << 3)) == t && !stopped) {
    return <usize>load<u32>(TLB_WRITE_HOST + (i << 2)) + <usize>(va & PAGE_MASK);
  }
  if (stopped) return 0;
  let f = slowPage(va, ACCESS_WRITE);
  return f ? f + <usize>(va & PAGE_MASK) : 0;
}

// Frame for an instruction fetch, through the TLB's fetch part.
export function fetchPage(va: u64): usize {
  let f = tlbLookupExec(va >> PAGE_SHIFT);
  if (f) return f;
  if (mode64 && (va >> 47) != 0) { pageFault(va, ACCESS_FETCH); return 0; }
  f = asResolve(curAs, va, ACCESS_FETCH);
  if (f) tlbFillExec(va >> PAGE_SHIFT, f);
  else pageFault(va, resolveError);
  return f;
}

@inline function crosses(va: u64, size: u32): bool {
  return <u32>(va & PAGE_MASK) > PAGE_SIZE - size;
}

@inline export function rd8(va: u64): u32 {
  let h = hostRead(va);
  return h ? <u32>load<u8>(h) : 0;
}

@inline export function wr8(va: u64, v: u32): void {
  let h = hostWrite(va);
  if (h) store<u8>(h, <u8>v);
}

// Multi-byte accesses that cross a page go byte by byte; a write checks both
// pages first so a fault leaves memory untouched.
function rdCross(va: u64, size: u32): u64 {
  let v: u64 = 0;
  for (let i: u32 = 0; i < size; i++) v |= <u64>rd8(va + i) << (i << 3);
  return v;
}

function wrCross(va: u64, size: u32, v: u64): void {
  if (!hostWrite(va) || !hostWrite((va | <u64>PAGE_MASK) + 1)) return; // a fault names the second page's first byte
  for (let i: u32 = 0; i < size; i++) wr8(va + i, <u32>(v >> (i << 3)));
}

export function rd16(va: u64): u32 {
  if (crosses(va, 2)) return <u32>rdCross(va, 2);
  let h = hostRead(va);
  return h ? <u32>load<u16>(h) : 0;
}

@inline export function rd32(va: u64): u32 {
  if (crosses(va, 4)) return <u32>rdCross(va, 4);
  let h = hostRead(va);
  return h ? load<u32>(h) : 0;
}

@inline export function rd64(va: u64): u64 {
  if (crosses(va, 8)) return rdCross(va, 8);
  let h = hostRead(va);
  return h ? load<u64>(h) : 0;
}

export function wr16(va: u64, v: u32): void {
  if (crosses(va, 2)) { wrCross(va, 2, v); return; }
  let h = hostWrite(va);
  if (h) store<u16>(h, <u16>v);
}

@inline export function wr32(va: u64, v: u32): void {
  if (crosses(va, 4)) { wrCross(va, 4, v); return; }
  let h = hostWrite(va);
  if (h) store<u32>(h, v);
}

@inline export function wr64(va: u64, v: u64): void {
  if (crosses(va, 8)) { wrCross(va, 8, v); return; }
  let h = hostWrite(va);
  if (h) store<u64>(h, v);
}

// Sized access for operand sizes 1, 2, 4, 8.
export function rdN(size: u32, va: u64): u64 {
  if (size == 4) return <u64>rd32(va);
  if (size == 1) return <u64>rd8(va);
  if (size == 2) return <u64>rd16(va);
  return rd64(va);
}

// The read half of a read-modify-write: faults as a write (as the CPU does,
// even where the page is not mapped at all), then reads.
export function rdNW(size: u32, va: u64): u64 {
  if (!hostWrite(va)) return 0;
  if (crosses(va, size) && !hostWrite((va | <u64>PAGE_MASK) + 1)) return 0;
  return rdN(size, va);
}

export function wrN(size: u32, va: u64, v: u64): void {
  if (size == 4) wr32(va, <u32>v);
  else if (size == 1) wr8(va, <u32>v);
  else if (size == 2) wr16(va, <u32>v);
  else wr64(va, v);
}

// 16-byte accesses (SSE). A write that crosses a page checks both pages first.
export function rd128(va: u64): v128 {
  if (crosses(va, 16)) return i64x2.replace_lane(i64x2.splat(rd64(va)), 1, rd64(va + 8));
  let h = hostRead(va);
  return h ? v128.load(h) : i64x2.splat(0);
}

export function wr128(va: u64, v: v128): void {
  if (crosses(va, 16)) {
    if (!hostWrite(va) || !hostWrite(va + 15)) return;
    wr64(va, i64x2.extract_lane(v, 0));
    wr64(va + 8, i64x2.extract_lane(v, 1));
    return;
  }
  let h = hostWrite(va);
  if (h) v128.store(h, v);
}
