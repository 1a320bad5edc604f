// Building a new process image for execve: map the ELF's PT_LOAD segments
// into a fresh address space and lay out the initial stack (strings, argv,
// envp, auxv) the way Linux's binfmt_elf does.
import {
  CPU_AS, CPU_SEGS, PROT_EXEC, PROT_READ, PROT_WRITE,
} from "../../assembly/layout.js";
import type { Core } from "../core/core.js";
import { GuestMemory } from "../core/memory.js";
import { I386, STACK_LIMIT, X86_64, type Abi } from "./abi.js";
import { parseElf, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, PT_PHDR, type ElfImage } from "./elf.js";
import { E2BIG, ELIBBAD, ENOEXEC, ENOMEM } from "./errno.js";
import { MemoryMap, PAGE, pageDown, pageUp } from "./mm.js";
import type { Credentials } from "./process.js";
import { mapVdso, vdsoImage } from "./vdso/vdso.js";

const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
  AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
  AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31, AT_SYSINFO = 32,
  AT_SYSINFO_EHDR = 33, AT_MINSIGSTKSZ = 51;

const MAX_ARG_STRLEN = 32 * 4096; // one argument or environment string
const ARG_MAX = STACK_LIMIT / 4; // all of them together
const ET_DYN = 3;
const PIE_BASE = { i386: 0x56555000, x86_64: 0x555555554000 };

export interface Image {
  abi: Abi;
  cpu: number;
  mem: GuestMemory;
  mm: MemoryMap;
}

export interface ExecArgs {
  execfn: string; // the path as given to execve, for AT_EXECFN
  argv: Uint8Array[];
  envp: Uint8Array[];
  creds: Credentials;
  hwcap: number;
  random: Uint8Array; // 16 bytes for AT_RANDOM
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

// A new CPU block and address space holding the image, or a positive errno.
// Nothing of the calling process is touched, so a failed exec leaves it intact.
// interp: the PT_INTERP program, opened from the guest's namespace by the caller.
export function buildImage(core: Core, file: Uint8Array, elf: ElfImage, args: ExecArgs,
  interp: { path: string; file: Uint8Array } | null = null): Image | number {
  const abi = elf.bits === 32 ? I386 : X86_64;
  const strBytes = [...args.argv, ...args.envp].reduce((n, s) => n + s.length + 1, 0);
  if (strBytes + args.execfn.length + 1 > ARG_MAX || [...args.argv, ...args.envp].some((s) => s.length >= MAX_ARG_STRLEN)) {
    return E2BIG;
  }
  const as = core.x.addressSpaceNew(abi.levels);
  if (!as) return ENOMEM;
  const mem = new GuestMemory(core, as);
  const mm = new MemoryMap();
  const fail = (e: number) => { core.x.addressSpaceFree(as); return e; };

  // Binaries without PT_GNU_STACK get READ_IMPLIES_EXEC (i386 only, as on x86-64 kernels).
  const gnuStack = elf.phdrs.find((p) => p.type === PT_GNU_STACK);
  const readImpliesExec = abi === I386 && !gnuStack;
  mm.readImpliesExec = readImpliesExec;
  const bias = elf.type === ET_DYN ? PIE_BASE[abi.name] : 0;
  const main = loadSegments(core, mem, mm, file, elf, bias, args.execfn);
  if (typeof main === "number") return fail(main);
  mm.brkStart = mm.brk = pageUp(main.end);

  // PT_INTERP: the dynamic loader goes at the top of the mmap area, as Linux
  // maps it, and starts first; AT_BASE tells it where it is.
  let entry = elf.entry + bias;
  let base = 0;
  if (interp) {
    const ielf = parseElf(interp.file);
    if (typeof ielf === "number" || ielf.bits !== elf.bits || ielf.interp !== null) return fail(ELIBBAD);
    const loads = ielf.phdrs.filter((p) => p.type === PT_LOAD && p.memsz > 0);
    const lo = pageDown(Math.min(...loads.map((p) => p.vaddr)));
    const span = pageUp(Math.max(...loads.map((p) => p.vaddr + p.memsz))) - lo;
    const at = ielf.type === ET_DYN ? mm.findFree(span, abi.mmapTop, PAGE) : lo;
    if (at < 0) return fail(ENOMEM);
    base = at - lo;
    const r = loadSegments(core, mem, mm, interp.file, ielf, base, interp.path);
    if (typeof r === "number") return fail(r === ENOEXEC ? ELIBBAD : r);
    entry = ielf.entry + base;
  }

  const stackProt = PROT_READ | PROT_WRITE | (readImpliesExec || (gnuStack && gnuStack.flags & PF_X) ? PROT_EXEC : 0);
  const stackBase = abi.stackTop - STACK_LIMIT;
  if (core.x.addressSpaceMap(as, stackBase, STACK_LIMIT, stackProt) !== 0) return fail(ENOMEM);
  mm.add(stackBase, abi.stackTop, stackProt, "[stack]");

  const vdso = mapVdso(core, mem, mm, abi);
  if (vdso < 0) return fail(ENOMEM);

  const auxv: [number, number][] = [
    [AT_MINSIGSTKSZ, 2048], [AT_HWCAP, args.hwcap], [AT_PAGESZ, 4096], [AT_CLKTCK, 100], [AT_PHDR, main.phdrAddr],
    [AT_PHENT, elf.phentsize], [AT_PHNUM, elf.phnum], [AT_BASE, base], [AT_FLAGS, 0],
    [AT_ENTRY, elf.entry + bias], [AT_UID, args.creds.uid], [AT_EUID, args.creds.euid],
    [AT_GID, args.creds.gid], [AT_EGID, args.creds.egid], [AT_SECURE, 0], [AT_RANDOM, 0],
    [AT_HWCAP2, 0], [AT_EXECFN, 0], [AT_PLATFORM, 0],
  ];
  auxv.unshift([AT_SYSINFO_EHDR, vdso]);
  if (abi === I386) auxv.unshift([AT_SYSINFO, vdso + vdsoImage(abi).symbols.get("__kernel_vsyscall")!]);
  const sp = writeStack(mem, abi, args, auxv);
  if (sp < 0) return fail(ENOMEM);

  const cpu = core.x.cpuNew(abi.mode);
  if (!cpu) return fail(ENOMEM);
  core.setU32(cpu + CPU_AS, as);
  core.setReg(cpu, 4, sp);
  core.setIp(cpu, entry);
  core.x.cpuSetFlags(cpu, 0x202);
  const { cs, ss, ds } = abi.selectors;
  [ds, cs, ss, ds, 0, 0].forEach((sel, i) => core.dv.setUint16(cpu + CPU_SEGS + i * 2, sel, true));
  return { abi, cpu, mem, mm };
}

// Map the PT_LOAD segments at bias (copying whole file pages, as a file mapping
// would, so segments sharing a page stay intact; the rest of the last file
// page and the bss read as zero). Returns the end of the highest segment and
// where the program headers are mapped, or a positive errno.
function loadSegments(core: Core, mem: GuestMemory, mm: MemoryMap, file: Uint8Array, elf: ElfImage, bias: number,
  name: string): { end: number; phdrAddr: number } | number {
  let end = 0;
  let phdrAddr = 0;
  for (const ph of elf.phdrs) {
    if (ph.type === PT_PHDR) phdrAddr = ph.vaddr + bias;
    if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
    const va = ph.vaddr + bias;
    const start = pageDown(va);
    const stop = pageUp(va + ph.memsz);
    let prot = protOf(ph.flags);
    if (mm.readImpliesExec && prot & PROT_READ) prot |= PROT_EXEC;
    if (core.x.addressSpaceMap(mem.as, start, stop - start, PROT_READ | PROT_WRITE) !== 0) return ENOMEM;
    const fileStart = ph.offset - (va - start);
    if (fileStart < 0) return ENOEXEC;
    if (!mem.write(start, file.subarray(fileStart, ph.offset + ph.filesz))) return ENOMEM;
    core.x.addressSpaceProtect(mem.as, start, stop - start, prot);
    mm.add(start, stop, prot, name, false, fileStart);
    if (!phdrAddr && ph.offset === 0) phdrAddr = va + elf.phoff;
    end = Math.max(end, va + ph.memsz);
  }
  return { end, phdrAddr };
}

// Strings at the top (argv, envp, execfn), then platform and random bytes,
// then the 16-byte aligned argc/argv/envp/auxv vector. Returns the new sp.
function writeStack(mem: GuestMemory, abi: Abi, args: ExecArgs, auxv: [number, number][]): number {
  const enc = new TextEncoder();
  const w = abi.word;
  let p = abi.stackTop - w;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length + 1;
    const z = new Uint8Array(bytes.length + 1);
    z.set(bytes);
    return mem.write(p, z) ? p : -1;
  };
  const execfn = put(enc.encode(args.execfn));
  const envAddrs = args.envp.map(() => 0);
  for (let i = args.envp.length - 1; i >= 0; i--) envAddrs[i] = put(args.envp[i]);
  const argAddrs = args.argv.map(() => 0);
  for (let i = args.argv.length - 1; i >= 0; i--) argAddrs[i] = put(args.argv[i]);
  const platform = put(enc.encode(abi.platform));
  p = Math.floor((p - 16) / 16) * 16;
  const random = p;
  if (!mem.write(random, args.random)) return -1;
  for (const a of auxv) {
    if (a[0] === AT_RANDOM) a[1] = random;
    if (a[0] === AT_EXECFN) a[1] = execfn;
    if (a[0] === AT_PLATFORM) a[1] = platform;
  }
  const words = [args.argv.length, ...argAddrs, 0, ...envAddrs, 0, ...auxv.flat(), AT_NULL, 0];
  const sp = Math.floor((p - words.length * w) / 16) * 16;
  const buf = new Uint8Array(words.length * w);
  const dv = new DataView(buf.buffer);
  words.forEach((v, i) => {
    if (w === 4) dv.setUint32(i * 4, v, true);
    else dv.setBigUint64(i * 8, BigInt(v), true);
  });
  return mem.write(sp, buf) ? sp : -1;
}
