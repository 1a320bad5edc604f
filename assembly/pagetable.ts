// Address spaces: radix page tables of 1024 u32 entries a level. A handle is
// the root table's address | its level count (2 for 32-bit, 4 for 48-bit).
// Copy-on-write lives here: asClone shares every frame, asResolve copies.
import {
  PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE,
  PTE_COW, PTE_LAZY, PTE_P, PTE_R, PTE_SHARED, PTE_W, PTE_X, PROT_SHARED,
} from "./layout";
import { frameAlloc, frameAllocZero, frameRef, frameRefs, frameUnref, frameWritten } from "./frames";
import { tlbDropAllWrites, tlbForget, tlbInvalidate } from "./tlb";

export let cowCopies: u64 = 0;

@inline function levelsOf(as: u32): u32 { return as & PAGE_MASK; }
@inline function rootOf(as: u32): usize { return <usize>(as & ~PAGE_MASK); }
@inline function topShift(levels: u32): u64 { return levels == 2 ? 22 : 42; }

export function asNew(levels: u32): u32 {
  let root = frameAllocZero();
  return root ? <u32>root | levels : 0;
}

// How asWalk treats the tables on the way: READ only looks; WRITE first
// copies any table shared with another address space (the caller is about to
// change an entry); CREATE also allocates missing tables.
export const WALK_READ: u32 = 0;
export const WALK_WRITE: u32 = 1;
export const WALK_CREATE: u32 = 2;

// Linear address of the leaf entry for va, or 0 (unmapped, or with WRITE and
// CREATE: memory exhausted).
export function asWalk(as: u32, va: u64, mode: u32): usize {
  let table = rootOf(as);
  let shift = topShift(levelsOf(as));
  while (shift > PAGE_SHIFT) {
    let e = table + (<usize>((va >> shift) & 1023) << 2);
    let v = load<u32>(e);
    if (!(v & PTE_P)) {
      if (mode != WALK_CREATE) return 0;
      let t = frameAllocZero();
      if (!t) return 0;
      v = <u32>t | PTE_P;
      store<u32>(e, v);
    } else if (mode != WALK_READ && frameRefs(<usize>(v & ~PAGE_MASK)) > 1) {
      let t = unshare(<usize>(v & ~PAGE_MASK), <u32>(shift - PAGE_SHIFT) / 10);
      if (!t) return 0;
      v = <u32>t | PTE_P;
      store<u32>(e, v);
    }
    table = <usize>(v & ~PAGE_MASK);
    shift -= 10;
  }
  return table + (<usize>((va >> PAGE_SHIFT) & 1023) << 2);
}

// Below the root, a table may be shared by several address spaces (its
// frame's reference count says by how many): fork copies only the root, and
// a table is copied for one space when that space is about to change it.
// The copy takes a reference on everything the table names; at the leaf
// level (depth 1) writable pages become copy-on-write in both copies, except
// MAP_SHARED ones, which both keep writable. While
// a table is shared no space has a write TLB entry through it, because every
// write goes through asResolve, which walks with WALK_WRITE.
function unshare(src: usize, depth: u32): usize {
  let dst = frameAlloc();
  if (!dst) return 0;
  memory.copy(dst, src, PAGE_SIZE);
  for (let i = nextPresent(src, 0, PAGE_SIZE); i < PAGE_SIZE; i = nextPresent(src, i + 4, PAGE_SIZE)) {
    let v = load<u32>(src + i);
    if (depth == 1 && (v & PTE_W) && !(v & PTE_SHARED)) {
      v = (v & ~PTE_W) | PTE_COW;
      store<u32>(src + i, v);
      store<u32>(dst + i, v);
    }
    frameRef(<usize>(v & ~PAGE_MASK));
  }
  frameUnref(src);
  return dst;
}

// The offset of the first present entry of `table` in [from, end), or end.
// Tables are mostly empty: groups of 8 entries are skipped with one SIMD test.
function nextPresent(table: usize, from: usize, end: usize): usize {
  let i = from;
  while (i < end) {
    if ((i & 31) == 0 && i + 32 <= end &&
      !v128.any_true(v128.and(v128.or(v128.load(table + i), v128.load(table + i, 16)), i32x4.splat(PTE_P)))) {
      i += 32;
      continue;
    }
    if (load<u32>(table + i) & PTE_P) return i;
    i += 4;
  }
  return end;
}

// The bytes of a table at depth (levels to go) that can hold entries: only a
// 4-level root is partly unused (32 entries cover 2^47).
@inline function tableBytes(depth: u32): usize {
  return depth == 4 ? 32 * 4 : PAGE_SIZE;
}

function freeBelow(table: usize, depth: u32): void {
  let end = tableBytes(depth);
  for (let i = nextPresent(table, 0, end); i < end; i = nextPresent(table, i + 4, end)) {
    freeEntry(load<u32>(table + i), depth);
  }
  frameUnref(table);
}

// Drop one entry's reference; a table still shared with another space stays.
function freeEntry(v: u32, depth: u32): void {
  if (!(v & PTE_P)) return;
  let f = <usize>(v & ~PAGE_MASK);
  if (depth > 1 && frameRefs(f) == 1) freeBelow(f, depth - 1);
  else frameUnref(f);
}

// fork: a new root sharing every table below it with the parent.
export function asClone(as: u32): u32 {
  let src = rootOf(as);
  let dst = frameAlloc();
  if (!dst) return 0;
  memory.copy(dst, src, PAGE_SIZE);
  let end = tableBytes(levelsOf(as));
  for (let i = nextPresent(src, 0, end); i < end; i = nextPresent(src, i + 4, end)) {
    frameRef(<usize>(load<u32>(src + i) & ~PAGE_MASK));
  }
  tlbDropAllWrites(); // the parent may not write through its now shared tables without a fault
  return <u32>dst | levelsOf(as);
}

export function asFree(as: u32): void {
  tlbForget(as);
  freeBelow(rootOf(as), levelsOf(as));
}

function protBits(prot: u32): u32 {
  let b: u32 = 0;
  if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) b |= PTE_R; // x86 cannot map write- or exec-only
  if (prot & PROT_WRITE) b |= PTE_W;
  if (prot & PROT_EXEC) b |= PTE_X;
  if (prot & PROT_SHARED) b |= PTE_SHARED;
  return b;
}

// Map [va, va+len) as zero-fill-on-demand with prot, dropping what was there.
// Shared mappings get their zeroed frames now, so that a fork before the
// first touch still shares them.
export function asMap(as: u32, va: u64, len: u64, prot: u32): i32 {
  let bits = protBits(prot);
  let e: usize = 0;
  for (let p = va & ~<u64>PAGE_MASK; p < va + len; p += PAGE_SIZE) {
    // One walk per leaf table: the entries of consecutive pages are adjacent.
    if (!e || ((p >> PAGE_SHIFT) & 1023) == 0) {
      e = asWalk(as, p, WALK_CREATE);
      if (!e) return -1;
    } else {
      e += 4;
    }
    freeEntry(load<u32>(e), 1);
    if (bits & PTE_SHARED) {
      let f = frameAllocZero();
      if (!f) { store<u32>(e, 0); return -1; }
      store<u32>(e, <u32>f | PTE_P | bits);
    } else {
      store<u32>(e, bits | PTE_LAZY);
    }
    tlbInvalidate(as, p >> PAGE_SHIFT);
  }
  return 0;
}

// mremap: move the entries of [from, from+len) to [to, to+len), which the
// caller has emptied; frames move with their bits, nothing is copied.
export function asMove(as: u32, from: u64, to: u64, len: u64): i32 {
  for (let off: u64 = 0; off < len; off += PAGE_SIZE) {
    let src = asWalk(as, from + off, WALK_WRITE);
    let v: u32 = src ? load<u32>(src) : 0;
    if (src) {
      store<u32>(src, 0);
      tlbInvalidate(as, (from + off) >> PAGE_SHIFT);
    }
    let dst = asWalk(as, to + off, WALK_CREATE);
    if (!dst) return -1;
    freeEntry(load<u32>(dst), 1);
    store<u32>(dst, v);
    tlbInvalidate(as, (to + off) >> PAGE_SHIFT);
  }
  return 0;
}

export function asUnmap(as: u32, va: u64, len: u64): void {
  for (let p = va & ~<u64>PAGE_MASK; p < va + len; p += PAGE_SIZE) {
    let e = asWalk(as, p, WALK_WRITE);
    if (!e) continue;
    freeEntry(load<u32>(e), 1);
    store<u32>(e, 0);
    tlbInvalidate(as, p >> PAGE_SHIFT);
  }
}

export function asProtect(as: u32, va: u64, len: u64, prot: u32): void {
  let bits = protBits(prot);
  for (let p = va & ~<u64>PAGE_MASK; p < va + len; p += PAGE_SIZE) {
    let e = asWalk(as, p, WALK_WRITE);
    if (!e) continue;
    let v = load<u32>(e);
    if (!(v & (PTE_P | PTE_LAZY))) continue;
    let nv = (v & ~(PTE_R | PTE_W | PTE_X | PTE_COW)) | (bits & ~PTE_W);
    if (bits & PTE_W) {
      // A frame shared by fork may only become writable through copy-on-write
      // (unless the mapping is MAP_SHARED).
      nv |= (v & PTE_P) != 0 && !(v & PTE_SHARED) && frameRefs(<usize>(v & ~PAGE_MASK)) > 1 ? PTE_COW : PTE_W;
    }
    store<u32>(e, nv);
    tlbInvalidate(as, p >> PAGE_SHIFT);
  }
}

// Access kinds for asResolve, and the x86 page-fault error code bits.
export const ACCESS_READ: u32 = 0;
export const ACCESS_WRITE: u32 = 2;
export const ACCESS_FETCH: u32 = 16;
export const FAULT_PRESENT: u32 = 1;
export const FAULT_NOMEM: u32 = 0x8000;

// The error code of the last failed asResolve.
export let resolveError: u32 = 0;

// The frame backing va for this access, after materialising a lazy page or
// breaking copy-on-write; 0 on a fault (resolveError says which).
export function asResolve(as: u32, va: u64, access: u32): usize {
  let e = asWalk(as, va, WALK_READ);
  let v: u32 = e ? load<u32>(e) : 0;
  if (!(v & (PTE_P | PTE_LAZY))) { resolveError = access; return 0; }
  let ok = access == ACCESS_WRITE ? (v & (PTE_W | PTE_COW)) != 0
         : access == ACCESS_FETCH ? (v & PTE_X) != 0
         : (v & PTE_R) != 0;
  if (!ok) { resolveError = access | FAULT_PRESENT; return 0; }
  if (access == ACCESS_WRITE || (v & PTE_LAZY)) {
    // About to write the page or its entry: make the tables on the way private.
    e = asWalk(as, va, WALK_WRITE);
    if (!e) { resolveError = access | FAULT_NOMEM; return 0; }
    v = load<u32>(e);
  }
  if (v & PTE_LAZY) {
    let f = frameAllocZero();
    if (!f) { resolveError = access | FAULT_NOMEM; return 0; }
    v = <u32>f | PTE_P | (v & (PTE_R | PTE_W | PTE_X));
    store<u32>(e, v);
  }
  if (access == ACCESS_WRITE && (v & PTE_COW)) {
    let old = <usize>(v & ~PAGE_MASK);
    if (frameRefs(old) > 1) {
      let f = frameAlloc();
      if (!f) { resolveError = access | FAULT_NOMEM; return 0; }
      memory.copy(f, old, PAGE_SIZE);
      frameUnref(old);
      cowCopies++;
      v = <u32>f | (v & PAGE_MASK);
    }
    v = (v & ~PTE_COW) | PTE_W;
    store<u32>(e, v);
    tlbInvalidate(as, va >> PAGE_SHIFT);
  }
  let f = <usize>(v & ~PAGE_MASK);
  if (access == ACCESS_WRITE) frameWritten(f); // the guest or the kernel is about to write it
  return f;
}

// Make [va, va+len) accessible to the host for a read or a write by the
// kernel (syscall buffers): faults in lazy pages and breaks COW. 0 or -1.
export function asEnsure(as: u32, va: u64, len: u64, write: bool): i32 {
  if (len == 0) return 0;
  let access = write ? ACCESS_WRITE : ACCESS_READ;
  for (let p = va & ~<u64>PAGE_MASK; p < va + len; p += PAGE_SIZE) {
    if (!asResolve(as, p, access)) return -1;
  }
  return 0;
}
