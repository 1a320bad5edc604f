// Memory syscalls: brk, mmap (and i386's mmap2 and old mmap), munmap, mprotect.
import { PROT_EXEC, PROT_READ, PROT_SHARED, PROT_WRITE } from "../../../assembly/layout.js";
import { EACCES, EBADF, EFAULT, EINVAL, ENODEV, ENOMEM, ENOSYS } from "../errno.js";
import { pageDown, pageUp, PAGE, type Vma } from "../mm.js";
import type { Process } from "../process.js";
import type { GuestMemory } from "../../core/memory.js";
import type { OpenFile } from "../fs/file.js";
import type { Ctx, SysResult } from "./types.js";

const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
  MAP_FIXED_NOREPLACE = 0x100000;
const MMAP_FLOOR = 0x10000; // vm.mmap_min_addr

function taskSize(c: Ctx): number { return c.word === 4 ? 0xffffe000 : 2 ** 47 - PAGE; }

// What the core is told: x86 cannot map write- or exec-only, and old i386
// binaries get READ_IMPLIES_EXEC.
function effectiveProt(c: Ctx, prot: number): number {
  return c.p.mm.readImpliesExec && prot & PROT_READ ? prot | PROT_EXEC : prot;
}

export function brk(c: Ctx, addr: number): SysResult {
  const { p, k } = c;
  const mm = p.mm;
  if (addr < mm.brkStart) return mm.brk;
  const oldEnd = pageUp(mm.brk);
  const newEnd = pageUp(addr);
  if (newEnd > oldEnd) {
    if (newEnd > taskSize(c) || mm.overlaps(oldEnd, newEnd)) return mm.brk;
    if (k.core.x.addressSpaceMap(p.as, oldEnd, newEnd - oldEnd, effectiveProt(c, PROT_READ | PROT_WRITE)) !== 0) return mm.brk;
  } else if (newEnd < oldEnd) {
    k.core.x.addressSpaceUnmap(p.as, newEnd, oldEnd - newEnd);
  }
  mm.remove(mm.brkStart, Math.max(oldEnd, newEnd));
  if (newEnd > mm.brkStart) mm.add(mm.brkStart, newEnd, PROT_READ | PROT_WRITE, "[heap]");
  mm.brk = addr;
  return addr;
}

export function mmap(c: Ctx, addr: number, len: number, prot: number, flags: number, fd: number, off: number): SysResult {
  const { p, k } = c;
  const core = k.core;
  const type = flags & 3;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -EINVAL;
  if (len === 0 || off % PAGE !== 0) return -EINVAL;
  const size = pageUp(len);
  if (size > taskSize(c)) return -ENOMEM;
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  if (fixed && addr % PAGE !== 0) return -EINVAL;
  let data: Uint8Array | null = null;
  let file: OpenFile | null = null;
  const shared = type !== MAP_PRIVATE;
  if (!(flags & MAP_ANONYMOUS)) {
    file = p.fds.get(fd);
    if (!file) return -EBADF;
    if (!file.readable()) return -EACCES;
    if (shared && prot & PROT_WRITE && !file.writable()) return -EACCES;
    const r = file.pread(size, off);
    if (typeof r === "number") return r === -29 ? -ENODEV : r;
    data = r;
  }
  let start: number;
  if (fixed) {
    start = addr;
    if (start + size > taskSize(c)) return -ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE && p.mm.overlaps(start, start + size)) return -17; // EEXIST
  } else {
    const hint = pageDown(addr);
    start = hint >= MMAP_FLOOR && hint + size <= taskSize(c) && !p.mm.overlaps(hint, hint + size)
      ? hint : p.mm.findFree(size, p.abi.mmapTop, MMAP_FLOOR);
    if (start < 0) return -ENOMEM;
  }
  const eprot = effectiveProt(c, prot);
  const sharedBit = shared ? PROT_SHARED : 0;
  if (fixed) writeBack(p, start, start + size);
  if (core.x.addressSpaceMap(p.as, start, size, (data ? PROT_READ | PROT_WRITE : eprot) | sharedBit) !== 0) return -ENOMEM;
  if (data) {
    if (!p.mem.write(start, data)) return -EFAULT;
    core.x.addressSpaceProtect(p.as, start, size, eprot);
  }
  // A MAP_SHARED file mapping holds the file and writes back on msync, munmap and exit.
  const backing = shared && file?.writable() ? file : null;
  p.mm.add(start, start + size, prot, file ? file.path : "", shared, file ? off : 0, backing);
  return start;
}

// i386 mmap2: the offset is in 4096-byte units.
export const mmap2 = (c: Ctx, addr: number, len: number, prot: number, flags: number, fd: number, pgoff: number) =>
  mmap(c, addr, len, prot, flags, fd, pgoff * PAGE);

// i386 old_mmap: one pointer to the six arguments.
export function oldMmap(c: Ctx, argsPtr: number): SysResult {
  const b = c.mem.read(argsPtr, 24);
  if (!b) return -EFAULT;
  const dv = new DataView(b.buffer);
  const a = [0, 4, 8, 12, 16, 20].map((o) => dv.getUint32(o, true));
  return mmap(c, a[0], a[1], a[2], a[3], a[4] | 0, a[5]);
}

// Copy the pages of MAP_SHARED file mappings within [start, end) back to
// their files (up to the end of file, which a mapping never extends).
export function writeBack(p: Process, start: number, end: number, mem: GuestMemory = p.mem): void {
  for (const v of p.mm.vmas) {
    if (!v.file || v.end <= start || v.start >= end) continue;
    writeVma(v, v.file, Math.max(v.start, start), Math.min(v.end, end), mem);
  }
}

function writeVma(v: Vma, file: OpenFile, s: number, e: number, mem: GuestMemory): void {
  const pos = v.offset + (s - v.start);
  const len = Math.min(e - s, file.stat().size - pos);
  if (len <= 0) return;
  const data = mem.read(s, len);
  if (data) file.pwrite(data, pos);
}

// Before an address space goes away (exit, execve): write shared file pages back, drop the files.
export function releaseMappings(p: Process): void {
  writeBack(p, 0, Infinity);
  p.mm.remove(0, Infinity);
}

const MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

export function msync(c: Ctx, addr: number, len: number, flags: number): SysResult {
  if (addr % PAGE !== 0 || flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC) || (flags & MS_ASYNC && flags & MS_SYNC)) return -EINVAL;
  const end = addr + pageUp(len);
  if (!c.p.mm.covered(addr, end)) return -ENOMEM;
  writeBack(c.p, addr, end);
  return 0;
}

export function munmap(c: Ctx, addr: number, len: number): SysResult {
  if (addr % PAGE !== 0 || len === 0 || addr + len > taskSize(c)) return -EINVAL;
  unmapRange(c, addr, addr + pageUp(len));
  return 0;
}

const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

// mremap within one VMA: shrink, grow in place, or (MAYMOVE) move the pages to
// a free range or (FIXED) to new_addr. The frames move; nothing is copied.
export function mremap(c: Ctx, oldAddr: number, oldSize: number, newSize: number, flags: number, newAddr: number): SysResult {
  const { p, k } = c;
  const mm = p.mm;
  if (oldAddr % PAGE !== 0 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -EINVAL;
  const oldLen = pageUp(oldSize), newLen = pageUp(newSize);
  if (newLen === 0 || newLen > taskSize(c)) return -EINVAL;
  // The range must lie in one mapping: VMAs alike and adjacent count as one, as Linux merges them.
  const parts = mm.vmas.filter((v) => v.end > oldAddr && v.start < oldAddr + Math.max(oldLen, PAGE));
  const vma = parts[0];
  if (!vma || vma.start > oldAddr || !mm.covered(oldAddr, oldAddr + oldLen)) return -EFAULT;
  if (parts.some((v) => v.prot !== vma.prot || v.name !== vma.name || v.shared !== vma.shared || v.file !== vma.file)) return -EFAULT;
  if (oldLen === 0 || flags & MREMAP_DONTUNMAP) {
    k.log("unsupported mremap: duplicating a mapping (old_size 0 or MREMAP_DONTUNMAP)");
    return -EINVAL;
  }
  // Growing needs fresh pages like the old ones: only private anonymous memory has them
  // (a shared mapping's object does not grow; file pages would need the file).
  if (newLen > oldLen && (vma.name !== "" || vma.shared)) {
    k.log("unsupported mremap: growing a shared, file, heap or stack mapping");
    return -ENOSYS;
  }
  let dest = oldAddr;
  if (flags & MREMAP_FIXED) {
    if (newAddr % PAGE !== 0 || newAddr + newLen > taskSize(c)) return -EINVAL;
    if (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen) return -EINVAL;
    unmapRange(c, newAddr, newAddr + newLen);
    dest = newAddr;
  } else if (newLen <= oldLen) {
    if (newLen < oldLen) unmapRange(c, oldAddr + newLen, oldAddr + oldLen);
    return oldAddr;
  } else if (!mm.overlaps(oldAddr + oldLen, oldAddr + newLen) && oldAddr + newLen <= taskSize(c)) {
    return growInto(c, vma, oldAddr, oldLen, newLen) ? oldAddr : -ENOMEM;
  } else if (flags & MREMAP_MAYMOVE) {
    dest = mm.findFree(newLen, p.abi.mmapTop, MMAP_FLOOR);
    if (dest < 0) return -ENOMEM;
  } else {
    return -ENOMEM;
  }
  const moved = Math.min(oldLen, newLen);
  if (k.core.x.addressSpaceMove(p.as, oldAddr, dest, moved) !== 0) return -ENOMEM;
  mm.add(dest, dest + moved, vma.prot, vma.name, vma.shared, vma.offset + (oldAddr - vma.start), vma.file);
  // The moved pages left their old entries empty; only a tail that stayed behind is written back and unmapped.
  if (oldLen > moved) unmapRange(c, oldAddr + moved, oldAddr + oldLen);
  mm.remove(oldAddr, oldAddr + moved);
  if (newLen > moved && !growInto(c, vma, dest, moved, newLen)) return -ENOMEM;
  return dest;
}

function unmapRange(c: Ctx, start: number, end: number): void {
  writeBack(c.p, start, end);
  c.k.core.x.addressSpaceUnmap(c.p.as, start, end - start);
  c.p.mm.remove(start, end);
}

// Extend the private anonymous mapping at start from len to newLen bytes with fresh pages.
function growInto(c: Ctx, vma: Vma, start: number, len: number, newLen: number): boolean {
  if (c.k.core.x.addressSpaceMap(c.p.as, start + len, newLen - len, effectiveProt(c, vma.prot)) !== 0) return false;
  c.p.mm.add(start + len, start + newLen, vma.prot, vma.name);
  return true;
}

export function mprotect(c: Ctx, addr: number, len: number, prot: number): SysResult {
  if (addr % PAGE !== 0 || prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | 0x3000000)) return -EINVAL;
  const size = pageUp(len);
  if (size === 0) return 0;
  if (!c.p.mm.protect(addr, addr + size, prot & 7)) return -ENOMEM;
  c.k.core.x.addressSpaceProtect(c.p.as, addr, size, effectiveProt(c, prot & 7));
  return 0;
}

const MADV_DONTNEED = 4;

// MADV_DONTNEED drops private pages: they read as zero afterwards (shared ones keep their data).
export function madvise(c: Ctx, addr: number, len: number, advice: number): SysResult {
  if (addr % PAGE !== 0) return -EINVAL;
  const end = addr + pageUp(len);
  if (advice !== MADV_DONTNEED) return 0;
  if (!c.p.mm.covered(addr, end)) return -ENOMEM;
  for (const v of c.p.mm.vmas) {
    const s = Math.max(v.start, addr), e = Math.min(v.end, end);
    if (s < e && !v.shared) c.k.core.x.addressSpaceMap(c.p.as, s, e - s, effectiveProt(c, v.prot));
  }
  return 0;
}
