// A tiny machine around build/core.wasm for the core tests: one address space
// with code, data, stack and read-only pages, one 32-bit CPU block, and
// helpers to load registers, flags and memory, run, and read everything back.
// Layout constants come from assembly/layout.ts, parsed at load time.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// `export const NAME: type = expr;` lines of layout.ts, evaluated in order.
function parseLayout(src) {
  const L = {};
  for (const line of src.split('\n')) {
    const m = /^export const (\w+)\s*:\s*\w+\s*=\s*([^;]+);/.exec(line);
    if (!m) continue;
    const expr = m[2].replace(/\b[A-Z_][A-Z0-9_]*\b/g, (id) => {
      if (!(id in L)) throw new Error(`layout.ts: ${m[1]} uses unknown ${id}`);
      return `(${L[id]})`;
    });
    if (!/^[\s\d()xa-fA-F+\-*|&<>~]+$/.test(expr)) throw new Error(`layout.ts: cannot evaluate ${m[1]} = ${m[2]}`);
    L[m[1]] = Function(`return (${expr});`)();
  }
  return L;
}
export const L = parseLayout(readFileSync(join(root, 'assembly', 'layout.ts'), 'utf8'));

// The guest addresses the tests (and the native reference runner) use.
export const CODE = 0x10000000, CODE_SIZE = 0x2000;
export const DATA = 0x20000000, DATA_SIZE = 0x2000;
export const STACK = 0x30000000, STACK_SIZE = 0x1000;
export const RO = 0x40000000; // one read-only page
export const REGS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];

export async function loadCore(file = process.env.FORKBOX_CORE || join(root, 'build', 'core.wasm')) {
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
  return instance.exports;
}

export class Machine {
  constructor(core) {
    this.core = core;
    this.as = core.addressSpaceNew(L.AS_LEVELS_32);
    this.cpu = core.cpuNew(32);
    if (!this.as || !this.cpu) throw new Error('core: out of memory');
    const rwx = L.PROT_READ | L.PROT_WRITE | L.PROT_EXEC;
    this.map(CODE, CODE_SIZE, rwx);
    this.map(DATA, DATA_SIZE, L.PROT_READ | L.PROT_WRITE);
    this.map(STACK, STACK_SIZE, L.PROT_READ | L.PROT_WRITE);
    this.map(RO, 0x1000, L.PROT_READ);
    this.setAs(this.as);
  }

  // Views are made per access: memory.grow detaches old buffers.
  get u8() { return new Uint8Array(this.core.memory.buffer); }
  get dv() { return new DataView(this.core.memory.buffer); }

  map(va, len, prot) {
    if (this.core.addressSpaceMap(this.as, va, len, prot) !== 0) throw new Error('map failed');
  }
  setAs(as) { this.dv.setUint32(this.cpu + L.CPU_AS, as, true); }

  // Linear address of guest va's byte, walking the 2-level table (10 bits a
  // level, u32 entries, frame address in bits 31..12). Faults pages in first.
  host(va, as = this.as) {
    if (this.core.addressSpaceEnsure(as, va, 1, 1) !== 0 && this.core.addressSpaceEnsure(as, va, 1, 0) !== 0) {
      throw new Error(`guest page ${hex(va)} is not mapped`);
    }
    const dv = this.dv;
    const mask = ~L.PAGE_MASK >>> 0;
    const table = (as & mask) >>> 0;
    const pde = dv.getUint32(table + ((va >>> 22) & 1023) * 4, true);
    if (!(pde & L.PTE_P)) throw new Error(`no page table for ${hex(va)}`);
    const pte = dv.getUint32(((pde & mask) >>> 0) + ((va >>> 12) & 1023) * 4, true);
    if (!(pte & L.PTE_P)) throw new Error(`no frame for ${hex(va)}`);
    return ((pte & mask) >>> 0) + (va & L.PAGE_MASK);
  }

  write(va, bytes, as = this.as) {
    for (let i = 0; i < bytes.length;) {
      const n = Math.min(bytes.length - i, L.PAGE_SIZE - ((va + i) & L.PAGE_MASK));
      this.u8.set(bytes.subarray(i, i + n), this.host(va + i, as));
      i += n;
    }
  }
  read(va, len, as = this.as) {
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const n = Math.min(len - i, L.PAGE_SIZE - ((va + i) & L.PAGE_MASK));
      const h = this.host(va + i, as);
      out.set(this.u8.subarray(h, h + n), i);
      i += n;
    }
    return out;
  }
  write32(va, v) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); this.write(va, b); }
  read32(va) { return new DataView(this.read(va, 4).buffer).getUint32(0, true); }

  reg(name) { return this.dv.getUint32(this.cpu + L.CPU_REGS + REGS.indexOf(name) * 8, true); }
  setReg(name, v) { this.dv.setBigUint64(this.cpu + L.CPU_REGS + REGS.indexOf(name) * 8, BigInt(v >>> 0), true); }
  regs() { return Object.fromEntries(REGS.map((r) => [r, this.reg(r)])); }
  setRegs(o) { for (const [k, v] of Object.entries(o)) this.setReg(k, v); }

  get eip() { return Number(this.dv.getBigUint64(this.cpu + L.CPU_RIP, true)); }
  set eip(v) { this.dv.setBigUint64(this.cpu + L.CPU_RIP, BigInt(v >>> 0), true); }
  get flags() { return this.core.cpuGetFlags(this.cpu) >>> 0; }
  set flags(v) { this.core.cpuSetFlags(this.cpu, v >>> 0); }

  get reason() { return this.dv.getUint32(this.cpu + L.CPU_REASON, true); }
  get faultAddr() { return Number(this.dv.getBigUint64(this.cpu + L.CPU_FAULT_ADDR, true)); }
  get faultCode() { return this.dv.getUint32(this.cpu + L.CPU_FAULT_CODE, true); }
  get vector() { return this.dv.getUint32(this.cpu + L.CPU_VECTOR, true); }

  run(budget = 10000) {
    this.core.flushTlb(); // tests write guest memory behind the core's back
    return this.core.run(this.cpu, budget);
  }
}

export const REASON_NAMES = Object.fromEntries(
  Object.entries(L).filter(([k]) => k.startsWith('REASON_')).map(([k, v]) => [v, k]));

export function hex(v) { return '0x' + (v >>> 0).toString(16).padStart(8, '0'); }

// The initial contents of the data, stack and read-only pages before a
// case's own patches: a fixed pseudo-random pattern, shared with gen.js.
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => { // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
export function basePattern(len, seed) {
  const rng = makeRng(seed), out = new Uint8Array(len);
  for (let i = 0; i < len; i += 4) new DataView(out.buffer).setUint32(i, rng(), true);
  return out;
}
export const BASE_DATA = basePattern(DATA_SIZE, 0xda7a);
export const BASE_STACK = basePattern(STACK_SIZE, 0x57ac);
export const BASE_RO = basePattern(0x1000, 0x40);

// The data and stack pages as a case starts: the base pattern plus patches
// ([addr, bytes] pairs).
export function preState(patches = []) {
  const data = BASE_DATA.slice(), stack = BASE_STACK.slice();
  for (const [addr, bytes] of patches) {
    for (let i = 0; i < bytes.length; i++) {
      const a = addr + i;
      if (a >= DATA && a < DATA + DATA_SIZE) data[a - DATA] = bytes[i];
      else if (a >= STACK && a < STACK + STACK_SIZE) stack[a - STACK] = bytes[i];
      else throw new Error(`patch outside the data and stack pages: ${hex(a)}`);
    }
  }
  return { data, stack };
}
