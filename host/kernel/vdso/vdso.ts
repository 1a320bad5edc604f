// The vDSO: a small shared object (vdso32.asm, vdso64.asm; rebuilt by
// `npm run vdso`) that every new image gets below its dynamic loader, with
// Linux's [vvar] and [vvar_vclock] pages above it, announced by
// AT_SYSINFO_EHDR (and AT_SYSINFO, __kernel_vsyscall, on i386). libcs call
// its clock functions instead of making syscalls; they reach the kernel
// through a ud2 inside the vDSO, answered as an untraced syscall, so
// --strace shows what strace shows natively.
import { PAGE, type MemoryMap } from "../mm.js";
import type { Abi } from "../abi.js";
import type { Core } from "../../core/core.js";
import type { GuestMemory } from "../../core/memory.js";
import image32 from "./vdso32.so";
import image64 from "./vdso64.so";

const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const VVAR_PAGES = 4, VCLOCK_PAGES = 2, VDSO_PAGES = 2; // as Linux 6.x maps [vvar], [vvar_vclock], [vdso]
const DT_HASH = 4, DT_STRTAB = 5, DT_SYMTAB = 6, PT_DYNAMIC = 2;

export interface VdsoImage {
  bytes: Uint8Array;
  symbols: Map<string, number>; // offsets of the exported functions
}

// The dynamic symbols of an image linked at 0 as one segment (vdso.lds), so
// addresses are file offsets.
function dynamicSymbols(b: Uint8Array): Map<string, number> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const is64 = b[4] === 2;
  const word = (o: number) => (is64 ? Number(dv.getBigUint64(o, true)) : dv.getUint32(o, true));
  const phoff = word(is64 ? 32 : 28), phent = dv.getUint16(is64 ? 54 : 42, true), phnum = dv.getUint16(is64 ? 56 : 44, true);
  const tags = new Map<number, number>();
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phent;
    if (dv.getUint32(ph, true) !== PT_DYNAMIC) continue;
    const off = word(ph + (is64 ? 8 : 4)), size = word(ph + (is64 ? 32 : 16)), ent = is64 ? 16 : 8;
    for (let d = off; d < off + size; d += ent) tags.set(word(d), word(d + ent / 2));
  }
  const count = dv.getUint32(tags.get(DT_HASH)! + 4, true); // nchain: one per symbol
  const symtab = tags.get(DT_SYMTAB)!, strtab = tags.get(DT_STRTAB)!;
  const symbols = new Map<string, number>();
  for (let i = 1; i < count; i++) {
    const s = symtab + i * (is64 ? 24 : 16);
    const nameAt = strtab + dv.getUint32(s, true);
    const name = new TextDecoder().decode(b.subarray(nameAt, b.indexOf(0, nameAt)));
    symbols.set(name, is64 ? Number(dv.getBigUint64(s + 8, true)) : dv.getUint32(s + 4, true));
  }
  return symbols;
}

const images: Record<Abi["name"], VdsoImage> = {
  i386: { bytes: image32, symbols: dynamicSymbols(image32) },
  x86_64: { bytes: image64, symbols: dynamicSymbols(image64) },
};

export const vdsoImage = (abi: Abi): VdsoImage => images[abi.name];

// Map [vvar], [vvar_vclock] and [vdso] at the top of the free mmap area (just
// below the dynamic loader when there is one, as Linux places them). Returns
// the vDSO's address, or -1 when nothing fits.
export function mapVdso(core: Core, mem: GuestMemory, mm: MemoryMap, abi: Abi): number {
  const img = images[abi.name];
  const size = VDSO_PAGES * PAGE; // the image fits in the first
  const span = (VVAR_PAGES + VCLOCK_PAGES) * PAGE + size;
  const at = mm.findFree(span, abi.mmapTop, PAGE);
  if (at < 0 || core.x.addressSpaceMap(mem.as, at, span, PROT_READ | PROT_WRITE) !== 0) return -1;
  const vclock = at + VVAR_PAGES * PAGE, vdso = vclock + VCLOCK_PAGES * PAGE;
  if (!mem.write(vdso, img.bytes)) return -1;
  core.x.addressSpaceProtect(mem.as, at, vdso - at, PROT_READ);
  core.x.addressSpaceProtect(mem.as, vdso, size, PROT_READ | PROT_EXEC);
  mm.add(at, vclock, PROT_READ, "[vvar]");
  mm.add(vclock, vdso, PROT_READ, "[vvar_vclock]");
  mm.add(vdso, vdso + size, PROT_READ | PROT_EXEC, "[vdso]");
  mm.vdso = vdso; // after add, which clears it for whatever the range held
  return vdso;
}

// Whether the instruction at ip is in the process's vDSO (its ud2s are calls).
// MemoryMap.remove forgets the vDSO once anything unmaps or replaces it.
export function inVdso(mm: MemoryMap, ip: number): boolean {
  return mm.vdso !== 0 && ip >= mm.vdso && ip < mm.vdso + VDSO_PAGES * PAGE;
}
