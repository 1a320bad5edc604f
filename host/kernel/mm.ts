// A process's memory map: the list of VMAs (what /proc/self/maps shows),
// used to place mmaps, validate munmap/mprotect and track brk.
import type { OpenFile } from "./fs/file.js";

// shared: MAP_SHARED; offset: the file offset of start (file mappings); file:
// the writable file a MAP_SHARED mapping writes back to (each VMA holds a reference).
export interface Vma {
  start: number; end: number; prot: number; name: string; shared: boolean; offset: number; file: OpenFile | null;
}

function retain(v: Vma): Vma {
  if (v.file) v.file.refs++;
  return v;
}

function drop(v: Vma): void {
  if (v.file && --v.file.refs === 0) v.file.release();
}

export const PAGE = 4096;
export const pageUp = (v: number) => Math.ceil(v / PAGE) * PAGE;
export const pageDown = (v: number) => Math.floor(v / PAGE) * PAGE;

export class MemoryMap {
  vmas: Vma[] = []; // sorted, non-overlapping
  brkStart = 0;
  brk = 0;
  readImpliesExec = false; // old i386 binaries without PT_GNU_STACK: PROT_READ implies PROT_EXEC
  vdso = 0; // where the vDSO is mapped (host/kernel/vdso/)

  clone(): MemoryMap {
    const m = new MemoryMap();
    m.vmas = this.vmas.map((v) => retain({ ...v }));
    m.brkStart = this.brkStart;
    m.brk = this.brk;
    m.readImpliesExec = this.readImpliesExec;
    m.vdso = this.vdso;
    return m;
  }

  // Remove [start, end) from the list, splitting VMAs that straddle it.
  remove(start: number, end: number): void {
    if (this.vdso >= start && this.vdso < end) this.vdso = 0; // unmapped or replaced: its ud2s are plain ud2s
    const out: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) { out.push(v); continue; }
      if (v.start < start) out.push(retain({ ...v, end: start }));
      if (v.end > end) out.push(retain({ ...v, start: end, offset: v.offset + (end - v.start) }));
      drop(v);
    }
    this.vmas = out;
  }

  add(start: number, end: number, prot: number, name: string, shared = false, offset = 0, file: OpenFile | null = null): void {
    this.remove(start, end);
    this.vmas.push(retain({ start, end, prot, name, shared, offset, file }));
    this.vmas.sort((a, b) => a.start - b.start);
  }

  // Change protection of [start, end); false if part of it is unmapped (ENOMEM).
  protect(start: number, end: number, prot: number): boolean {
    if (!this.covered(start, end)) return false;
    const pieces = this.vmas.filter((v) => v.end > start && v.start < end).map((v) => retain({ ...v }));
    const vdso = this.vdso; // the same mappings, other permissions
    this.remove(start, end);
    this.vdso = vdso;
    for (const v of pieces) {
      const s = Math.max(v.start, start);
      this.vmas.push({ ...v, start: s, end: Math.min(v.end, end), prot, offset: v.offset + (s - v.start) });
    }
    this.vmas.sort((a, b) => a.start - b.start);
    return true;
  }

  covered(start: number, end: number): boolean {
    let at = start;
    for (const v of this.vmas) {
      if (v.end <= at) continue;
      if (v.start > at) return false;
      at = v.end;
      if (at >= end) return true;
    }
    return at >= end;
  }

  overlaps(start: number, end: number): boolean {
    return this.vmas.some((v) => v.end > start && v.start < end);
  }

  // Highest free range of len bytes below top and above floor, or -1.
  findFree(len: number, top: number, floor: number): number {
    let end = top;
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const v = this.vmas[i];
      if (v.start >= end) continue;
      if (v.end <= end - len) break;
      end = v.start;
    }
    return end - len >= floor ? end - len : -1;
  }
}
