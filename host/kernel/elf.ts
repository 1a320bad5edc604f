// ELF headers: just what execve needs (ELF32 i386 and ELF64 x86-64).
import { ENOEXEC } from "./errno.js";

export const PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
export const PF_X = 1, PF_W = 2, PF_R = 4;
const EM_386 = 3, EM_X86_64 = 62;
const ET_EXEC = 2, ET_DYN = 3;

export interface ProgramHeader {
  type: number; flags: number; offset: number; vaddr: number; filesz: number; memsz: number; align: number;
}

export interface ElfImage {
  bits: 32 | 64;
  type: number; // ET_EXEC or ET_DYN
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  phdrs: ProgramHeader[];
  interp: string | null;
}

// Parse the headers, or return ENOEXEC (not ELF, wrong machine, truncated).
export function parseElf(b: Uint8Array): ElfImage | number {
  if (b.length < 52 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) return ENOEXEC;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const cls = b[4];
  if (b[5] !== 1) return ENOEXEC; // big-endian
  const bits = cls === 1 ? 32 : cls === 2 ? 64 : 0;
  if (!bits || (bits === 64 && b.length < 64)) return ENOEXEC;
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (type !== ET_EXEC && type !== ET_DYN) return ENOEXEC;
  if ((bits === 32 && machine !== EM_386) || (bits === 64 && machine !== EM_X86_64)) return ENOEXEC;
  const w = (o: number) => (bits === 32 ? dv.getUint32(o, true) : dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 2 ** 32);
  const entry = w(24);
  const phoff = bits === 32 ? dv.getUint32(28, true) : w(32);
  const phentsize = dv.getUint16(bits === 32 ? 42 : 54, true);
  const phnum = dv.getUint16(bits === 32 ? 44 : 56, true);
  if (phentsize !== (bits === 32 ? 32 : 56) || phnum === 0 || phoff + phnum * phentsize > b.length) return ENOEXEC;
  const phdrs: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    phdrs.push(bits === 32 ? {
      type: dv.getUint32(o, true), offset: dv.getUint32(o + 4, true), vaddr: dv.getUint32(o + 8, true),
      filesz: dv.getUint32(o + 16, true), memsz: dv.getUint32(o + 20, true), flags: dv.getUint32(o + 24, true),
      align: dv.getUint32(o + 28, true),
    } : {
      type: dv.getUint32(o, true), flags: dv.getUint32(o + 4, true), offset: w(o + 8), vaddr: w(o + 16),
      filesz: w(o + 32), memsz: w(o + 40), align: w(o + 48),
    });
  }
  let interp: string | null = null;
  for (const ph of phdrs) {
    if (ph.type === PT_LOAD && (ph.offset + ph.filesz > b.length || ph.filesz > ph.memsz)) return ENOEXEC;
    if (ph.type === PT_INTERP) {
      if (ph.offset + ph.filesz > b.length) return ENOEXEC;
      const raw = b.subarray(ph.offset, ph.offset + ph.filesz);
      const z = raw.indexOf(0);
      interp = new TextDecoder().decode(z >= 0 ? raw.subarray(0, z) : raw);
    }
  }
  if (!phdrs.some((p) => p.type === PT_LOAD)) return ENOEXEC;
  return { bits, type, entry, phoff, phentsize, phnum, phdrs, interp };
}
