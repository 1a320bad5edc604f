// The test cases of the core reference, one generator a family. A case is an
// instruction snippet (NASM, 32-bit), its initial registers, flags and memory
// patches, and the flags the Intel SDM leaves undefined for it. gen.js runs
// every case natively and records what the real CPU did.
//
// Snippet text: `@S` is the case's start label (for position-independent
// references to its own bytes); every snippet is followed by an int3.
import { CODE, DATA, STACK, RO, makeRng } from '../harness.js';

export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
const ALL6 = ARITH;

const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const SZ = { 8: 'byte', 16: 'word', 32: 'dword' };
const EDGE = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
export const M = DATA + 0x100; // default memory operand
const ESP0 = STACK + 0x800;

const mask = (size) => (size === 32 ? 0xffffffff : (1 << size) - 1);
const h = (v) => '0x' + (v >>> 0).toString(16);
export function edges(size) { return [...new Set(EDGE.map((v) => (v & mask(size)) >>> 0))]; }
export function regName(size, i) { return (size === 32 ? R32 : size === 16 ? R16 : R8)[i]; }

// Set a (sub)register inside a 32-bit register file.
function put(regs, name, v) {
  let i;
  if ((i = R32.indexOf(name)) >= 0) regs[i] = v >>> 0;
  else if ((i = R16.indexOf(name)) >= 0) regs[i] = ((regs[i] & 0xffff0000) | (v & 0xffff)) >>> 0;
  else if ((i = R8.indexOf(name)) >= 0) {
    if (i < 4) regs[i] = ((regs[i] & ~0xff) | (v & 0xff)) >>> 0;
    else regs[i - 4] = ((regs[i - 4] & ~0xff00) | ((v & 0xff) << 8)) >>> 0;
  } else throw new Error('register ' + name);
}
const reg32Of = (name) => {
  for (const t of [R32, R16]) if (t.includes(name)) return t.indexOf(name);
  const i = R8.indexOf(name);
  return i & 3;
};

function hash(s) { let x = 2166136261; for (const c of s) x = Math.imul(x ^ c.charCodeAt(0), 16777619); return x >>> 0; }

// Little-endian bytes of v in `size` bits.
function le(v, size) {
  const n = size / 8, out = [];
  for (let i = 0; i < n; i++) out.push(Number((BigInt(v) >> BigInt(8 * i)) & 0xffn));
  return out;
}

class Family {
  constructor(name) {
    this.name = name;
    this.rng = makeRng(hash(name));
    this.cases = [];
  }
  rand() { return this.rng(); }
  below(n) { return this.rand() % n; }
  pick(a) { return a[this.below(a.length)]; }
  // An operand value: edges a third of the time, else random.
  val(size) { return (this.below(3) === 0 ? this.pick(edges(size)) : this.rand() & mask(size)) >>> 0; }
  // n distinct general registers of a size, never esp/sp.
  regs(size, n, avoid = []) {
    const pool = [0, 1, 2, 3, 4, 5, 6, 7].filter((i) => (size === 8 || i !== 4) && !avoid.includes(regName(size, i)) &&
      !avoid.some((a) => size !== 8 && reg32Of(a) === i));
    const out = [];
    while (out.length < n) {
      const r = regName(size, this.pick(pool));
      if (!out.includes(r)) out.push(r);
    }
    return out;
  }
  // add(group, asm, {set: [[reg, v]...], flags, mem: [[addr, bytes|[size, v]]...], undef, fmask, codeOff, esp})
  add(group, asm, o = {}) {
    const regs = R32.map(() => this.rand());
    regs[4] = ESP0;
    for (const [r, v] of o.set || []) put(regs, r, v);
    const flags = (o.flags ?? (this.rand() & (ARITH & ~0))) >>> 0;
    const mem = o.mem || [];
    const fmask = o.fmask ?? ((ARITH | DF) & ~(o.undef || 0));
    const name = `${group}: ${asm.replace(/\s*\n\s*/g, '; ')}` + (o.note ? ` [${o.note}]` : '');
    this.cases.push({ name, group, asm, regs, flags, mem, fmask, codeOff: o.codeOff || 0 });
  }
}
// Memory patch helper: [addr, bytes].
const W = (addr, size, v) => [addr, le(v >>> 0, size)];

// ---- families -----------------------------------------------------------------

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const LOGIC = new Set(['or', 'and', 'xor', 'test']);

function alu(F) {
  for (const [opi, op] of ALU.entries()) {
    const undef = LOGIC.has(op) ? AF : 0;
    const carry = op === 'adc' || op === 'sbb';
    for (const size of [8, 16, 32]) {
      const S = SZ[size];
      // register, register: every pair of edge values (both carry-ins for adc/sbb)
      for (const cin of carry ? [0, CF] : [null]) {
        for (const a of edges(size)) for (const b of edges(size)) {
          const [r1, r2] = F.regs(size, 2);
          const flags = cin === null ? undefined : (F.rand() & ARITH & ~CF) | cin;
          F.add(`${op} r${size}, r${size}`, `${op} ${r1}, ${r2}`, { set: [[r1, a], [r2, b]], flags, undef });
        }
      }
      for (let i = 0; i < 10; i++) {
        const [r1, r2] = F.regs(size, 2);
        const a = F.val(size), b = F.val(size);
        const m = M + F.below(0x100);
        const simm8 = (F.rand() & 0xff) - 128;
        F.add(`${op} r${size}, r${size}`, `${op} ${r1}, ${r2}`, { set: [[r1, a], [r2, b]], undef });
        F.add(`${op} r${size}, same`, `${op} ${r1}, ${r1}`, { set: [[r1, a]], undef });
        F.add(`${op} m${size}, r${size}`, `${op} ${S} [${h(m)}], ${r2}`, { set: [[r2, b]], mem: [W(m, size, a)], undef });
        F.add(`${op} r${size}, m${size}`, `${op} ${r1}, ${S} [${h(m)}]`, { set: [[r1, a]], mem: [W(m, size, b)], undef });
        F.add(`${op} r${size}, imm`, `${op} ${r1}, ${h(b)}`, { set: [[r1, a]], undef });
        F.add(`${op} m${size}, imm`, `${op} ${S} [${h(m)}], ${h(b)}`, { mem: [W(m, size, a)], undef });
        const acc = regName(size, 0);
        const short = size === 8 ? `db ${h(0x04 + opi * 8)}, ${h(b)}` : size === 16 ? `db 0x66, ${h(0x05 + opi * 8)}\ndw ${h(b)}` : `db ${h(0x05 + opi * 8)}\ndd ${h(b)}`;
        F.add(`${op} ${acc}, imm (short form)`, short, { set: [[acc, a]], undef });
        if (size !== 8) {
          F.add(`${op} r${size}, simm8`, `${op} ${r1}, strict byte ${simm8}`, { set: [[r1, a]], undef });
          F.add(`${op} m${size}, simm8`, `${op} ${S} [${h(m)}], strict byte ${simm8}`, { mem: [W(m, size, a)], undef });
        } else {
          const rm = R8.indexOf(r1);
          F.add(`${op} r8, imm (0x82 alias)`, `db 0x82, ${h(0xc0 | (opi << 3) | rm)}, ${h(b)}`, { set: [[r1, a]], undef });
        }
        // reg-reg with the other direction bit (02/03 encodings)
        const rr = R8.includes(r1) ? R8 : R32.includes(r1) ? R32 : R16;
        const modrm = 0xc0 | (rr.indexOf(r1) << 3) | rr.indexOf(r2);
        const opc = opi * 8 + 2 + (size === 8 ? 0 : 1);
        F.add(`${op} r${size}, r${size} (0x${opc.toString(16)} form)`, `db ${size === 16 ? '0x66, ' : ''}${h(opc)}, ${h(modrm)}`, { set: [[r1, a], [r2, b]], undef });
      }
    }
  }
  // inc dec neg not
  for (const op of ['inc', 'dec', 'neg', 'not']) {
    for (const size of [8, 16, 32]) {
      const vals = [...edges(size), ...Array.from({ length: 10 }, () => F.rand() & mask(size))];
      for (const v of vals) {
        const [r] = F.regs(size, 1);
        const m = M + F.below(0x100);
        F.add(`${op} r${size}`, `${op} ${r}`, { set: [[r, v]] });
        F.add(`${op} m${size}`, `${op} ${SZ[size]} [${h(m)}]`, { mem: [W(m, size, v)] });
        if (size !== 8 && (op === 'inc' || op === 'dec')) {
          const ri = R32.indexOf(R32[reg32Of(r)]);
          F.add(`${op} r${size} (ff form)`, `db ${size === 16 ? '0x66, ' : ''}0xff, ${h(0xc0 | (op === 'dec' ? 8 : 0) | ri)}`, { set: [[r, v]] });
        }
      }
    }
  }
  // test
  for (const size of [8, 16, 32]) {
    for (let i = 0; i < 40; i++) {
      const [r1, r2] = F.regs(size, 2);
      const a = F.val(size), b = F.val(size), m = M + F.below(0x100);
      const acc = regName(size, 0);
      F.add(`test r${size}, r${size}`, `test ${r1}, ${r2}`, { set: [[r1, a], [r2, b]], undef: AF });
      F.add(`test m${size}, r${size}`, `test ${SZ[size]} [${h(m)}], ${r2}`, { set: [[r2, b]], mem: [W(m, size, a)], undef: AF });
      F.add(`test r${size}, imm`, `test ${r1}, ${h(b)}`, { set: [[r1, a]], undef: AF });
      F.add(`test ${acc}, imm`, `test ${acc}, ${h(b)}`, { set: [[acc, a]], undef: AF });
      F.add(`test m${size}, imm`, `test ${SZ[size]} [${h(m)}], ${h(b)}`, { mem: [W(m, size, a)], undef: AF });
    }
  }
}

function muldiv(F) {
  const U = SF | ZF | AF | PF;
  for (const op of ['mul', 'imul']) {
    for (const size of [8, 16, 32]) {
      const acc = regName(size, 0);
      const pairs = [];
      for (const a of edges(size)) for (const b of edges(size)) pairs.push([a, b]);
      for (let i = 0; i < 30; i++) pairs.push([F.val(size), F.val(size)]);
      for (const [a, b] of pairs) {
        const avoid = size === 8 ? ['al'] : ['eax', 'edx'];
        const [r] = F.regs(size, 1, avoid);
        F.add(`${op} r${size}`, `${op} ${r}`, { set: [[acc, a], [r, b]], undef: U });
      }
      for (let i = 0; i < 20; i++) {
        const m = M + F.below(0x100), a = F.val(size), b = F.val(size);
        F.add(`${op} m${size}`, `${op} ${SZ[size]} [${h(m)}]`, { set: [[acc, a]], mem: [W(m, size, b)], undef: U });
      }
      F.add(`${op} ${acc} (square)`, `${op} ${acc}`, { set: [[acc, F.val(size)]], undef: U });
    }
  }
  for (const size of [16, 32]) {
    const S = SZ[size];
    const pairs = [];
    for (const a of edges(size)) for (const b of edges(size)) pairs.push([a, b]);
    for (let i = 0; i < 40; i++) pairs.push([F.val(size), F.val(size)]);
    for (const [a, b] of pairs) {
      const [r1, r2] = F.regs(size, 2);
      const m = M + F.below(0x100);
      const i8 = (F.rand() & 0xff) - 128;
      F.add(`imul r${size}, r${size}`, `imul ${r1}, ${r2}`, { set: [[r1, a], [r2, b]], undef: U });
      F.add(`imul r${size}, m${size}`, `imul ${r1}, ${S} [${h(m)}]`, { set: [[r1, a]], mem: [W(m, size, b)], undef: U });
      F.add(`imul r${size}, r${size}, imm8`, `imul ${r1}, ${r2}, strict byte ${i8}`, { set: [[r2, a]], undef: U });
      F.add(`imul r${size}, r${size}, imm`, `imul ${r1}, ${r2}, strict ${S} ${h(b)}`, { set: [[r2, a]], undef: U });
      F.add(`imul r${size}, m${size}, imm`, `imul ${r1}, ${S} [${h(m)}], strict ${S} ${h(b)}`, { mem: [W(m, size, a)], undef: U });
    }
  }
  // div / idiv with operands that do not fault
  for (const op of ['div', 'idiv']) {
    for (const size of [8, 16, 32]) {
      const w = BigInt(size), M_ = (1n << w) - 1n;
      const sx = (v, bits) => (v & (1n << (bits - 1n)) ? v - (1n << bits) : v);
      const ok = (n, d) => {
        if (d === 0n) return false;
        if (op === 'div') return n / d <= M_;
        const sn = sx(n, 2n * w), sd = sx(d, w);
        const q = sn / sd; // BigInt division truncates like idiv
        return q >= -(1n << (w - 1n)) && q < (1n << (w - 1n));
      };
      const cands = [];
      for (const d of edges(size)) for (const n of [...edges(size), ...edges(size).map((v) => (BigInt(v) << w) | BigInt((F.rand() & mask(size)) >>> 0))]) cands.push([BigInt(n), BigInt(d)]);
      for (let i = 0; i < 400; i++) {
        const d = BigInt(F.val(size) || 1);
        let n;
        if (op === 'div') n = (BigInt((F.rand() & mask(size)) >>> 0) % d << w) | BigInt((F.rand() & mask(size)) >>> 0);
        else {
          const q = BigInt((F.rand() & mask(size)) >>> 0) & (M_ >> 1n);
          const sq = F.below(2) ? q : -q;
          const sd = sx(d, w);
          const ad = sd < 0n ? -sd : sd;
          const rr = ad > 1n ? BigInt(F.rand()) % ad : 0n;
          let sn = sq * sd + (sq * sd < 0n || (sq === 0n && F.below(2)) ? -rr : rr);
          n = sn & ((1n << (2n * w)) - 1n);
        }
        cands.push([n, d]);
      }
      let count = 0;
      for (const [n, d] of cands) {
        if (!ok(n, d) || count > 300) continue;
        count++;
        const acc = regName(size, 0);
        const set = size === 8 ? [['ax', Number(n & 0xffffn)]] : [[acc, Number(n & M_)], [regName(size, 2), Number(n >> w)]];
        const avoid = size === 8 ? ['ax', 'ah', 'al'] : ['eax', 'edx'];
        const [r] = F.regs(size, 1, avoid);
        if (count % 3 === 0) {
          const m = M + F.below(0x100);
          F.add(`${op} m${size}`, `${op} ${SZ[size]} [${h(m)}]`, { set, mem: [W(m, size, Number(d))], undef: ALL6 });
        } else {
          F.add(`${op} r${size}`, `${op} ${r}`, { set: [...set, [r, Number(d)]], undef: ALL6 });
        }
      }
    }
  }
}

const SHIFTS = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
const COUNTS = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 63, 255];

// Flags the SDM leaves undefined after a shift or rotate.
function shiftUndef(op, size, n) {
  const c = n & 31;
  if (c === 0) return 0;
  if (op === 'rol' || op === 'ror' || op === 'rcl' || op === 'rcr') return c === 1 ? 0 : OF;
  let u = AF | (c === 1 ? 0 : OF);
  if ((op === 'shl' || op === 'shr' || op === 'sal') && c >= size) u |= CF | OF;
  return u;
}

function shift(F) {
  for (const [opi, op] of SHIFTS.entries()) {
    for (const size of [8, 16, 32]) {
      const S = SZ[size];
      const vals = edges(size);
      for (const n of COUNTS) {
        const vs = [...vals.filter(() => F.below(3) === 0), F.rand() & mask(size), F.rand() & mask(size)];
        for (const v of vs) {
          const [r] = F.regs(size, 1, ['cl', 'cx', 'ecx', 'ch']);
          const undef = shiftUndef(op, size, n);
          const enc = op === 'sal' ? null : op;
          if (enc) F.add(`${op} r${size}, cl`, `${op} ${r}, cl`, { set: [[r, v], ['ecx', (F.rand() & ~0xff) | n]], undef });
          // the /6 alias of shl: encode sal by hand
          const modrmReg = op === 'sal' ? 6 : opi;
          const ri = (size === 8 ? R8 : size === 16 ? R16 : R32).indexOf(r);
          const pfx = size === 16 ? '0x66, ' : '';
          const base = size === 8 ? 0xc0 : 0xc1;
          F.add(`${op} r${size}, imm8`, `db ${pfx}${h(base)}, ${h(0xc0 | (modrmReg << 3) | ri)}, ${h(n)}`, { set: [[r, v]], undef });
          if (n === 1) F.add(`${op} r${size}, 1`, `db ${pfx}${h(base + 0x10)}, ${h(0xc0 | (modrmReg << 3) | ri)}`, { set: [[r, v]], undef });
          if (F.below(3) === 0) {
            const m = M + F.below(0x100);
            if (enc) F.add(`${op} m${size}, cl`, `${op} ${S} [${h(m)}], cl`, { set: [['ecx', n]], mem: [W(m, size, v)], undef });
            if (enc && n === 1) F.add(`${op} m${size}, 1`, `${op} ${S} [${h(m)}], 1`, { mem: [W(m, size, v)], undef });
            if (enc) F.add(`${op} m${size}, imm8`, `${op} ${S} [${h(m)}], strict byte ${n}`, { mem: [W(m, size, v)], undef });
          }
        }
      }
    }
  }
  // shld / shrd
  for (const op of ['shld', 'shrd']) {
    for (const size of [16, 32]) {
      for (const n of COUNTS) {
        const c = n & 31;
        if (c > size) continue; // the result is undefined
        const undef = c === 0 ? 0 : AF | (c === 1 ? 0 : OF);
        for (let i = 0; i < 8; i++) {
          const [r1, r2] = F.regs(size, 2, ['ecx', 'cx']);
          const a = F.val(size), b = F.val(size), m = M + F.below(0x100);
          F.add(`${op} r${size}, r${size}, imm8`, `${op} ${r1}, ${r2}, ${n}`, { set: [[r1, a], [r2, b]], undef });
          F.add(`${op} r${size}, r${size}, cl`, `${op} ${r1}, ${r2}, cl`, { set: [[r1, a], [r2, b], ['ecx', (F.rand() & ~0xff) | n]], undef });
          if (i < 3) {
            F.add(`${op} m${size}, r${size}, imm8`, `${op} ${SZ[size]} [${h(m)}], ${r2}, ${n}`, { set: [[r2, b]], mem: [W(m, size, a)], undef });
            F.add(`${op} m${size}, r${size}, cl`, `${op} ${SZ[size]} [${h(m)}], ${r2}, cl`, { set: [[r2, b], ['ecx', n]], mem: [W(m, size, a)], undef });
          }
        }
      }
    }
  }
}

function bits(F) {
  const U = OF | SF | AF | PF;
  for (const op of ['bt', 'bts', 'btr', 'btc']) {
    for (const size of [16, 32]) {
      const S = SZ[size];
      for (let i = 0; i < 24; i++) {
        const [r1, r2] = F.regs(size, 2);
        const v = F.val(size), off = F.below(4) === 0 ? F.rand() & mask(size) : F.below(size * 2);
        F.add(`${op} r${size}, r${size}`, `${op} ${r1}, ${r2}`, { set: [[r1, v], [r2, off]], undef: U });
        F.add(`${op} r${size}, imm8`, `${op} ${r1}, ${F.below(256)}`, { set: [[r1, v]], undef: U });
        const m = M + F.below(0x100);
        F.add(`${op} m${size}, imm8`, `${op} ${S} [${h(m)}], ${F.below(256)}`, { mem: [W(m, size, v)], undef: U });
        // register bit offsets reach far from the operand, in both directions
        const span = 0x800 * 8; // bits either side of the middle of the data pages
        const boff = (F.below(2 * span) - span) | 0;
        const base = DATA + 0x1000;
        F.add(`${op} m${size}, r${size} (far offset)`, `${op} ${S} [${h(base)}], ${r2}`, { set: [[r2, boff & mask(size)]], undef: U });
        const near = F.below(size * 3) - size;
        F.add(`${op} m${size}, r${size} (near offset)`, `${op} ${S} [${h(M)}], ${r2}`, { set: [[r2, near & mask(size)]], undef: U });
        // base + index addressing with an offset register
        F.add(`${op} m${size}, r${size} (base reg)`, `${op} ${S} [ebx+4], ${size === 32 ? 'ecx' : 'cx'}`, { set: [['ebx', base], ['ecx', F.below(2 * span) - span]], undef: U });
      }
    }
  }
  for (const op of ['bsf', 'bsr']) {
    for (const size of [16, 32]) {
      const vals = [0, 0, ...edges(size), ...Array.from({ length: size }, (_, i) => 2 ** i), ...Array.from({ length: 20 }, () => F.rand() & mask(size))];
      for (const v of vals) {
        const [r1, r2] = F.regs(size, 2);
        const m = M + F.below(0x100);
        const note = v === 0 ? 'zero source: destination unchanged on AMD and Intel hardware (SDM: undefined)' : undefined;
        F.add(`${op} r${size}, r${size}`, `${op} ${r1}, ${r2}`, { set: [[r2, v]], undef: CF | OF | SF | AF | PF, note });
        F.add(`${op} r${size}, m${size}`, `${op} ${r1}, ${SZ[size]} [${h(m)}]`, { mem: [W(m, size, v)], undef: CF | OF | SF | AF | PF, note });
      }
    }
  }
  for (let i = 0; i < 40; i++) {
    const [r] = F.regs(32, 1);
    F.add('bswap r32', `bswap ${r}`, {});
  }
}

// BMI1, BMI2, tzcnt and crc32: VEX-encoded and f2/f3 0f38 general-register
// instructions (AF and PF are undefined for the flag-setting ones).
function bmi(F) {
  const U = AF | PF;
  const mem = (size, v) => { const m = M + F.below(0x100); return [`${SZ[size]} [${h(m)}]`, W(m, size, v)]; };
  for (let i = 0; i < 48; i++) {
    const [d, a, b] = F.regs(32, 3);
    const va = F.val(32), vb = F.val(32);
    const [mb, pb] = mem(32, vb), [ma, pa] = mem(32, va);
    F.add('andn r32, r32, r32', `andn ${d}, ${a}, ${b}`, { set: [[a, va], [b, vb]], undef: U });
    F.add('andn r32, r32, m32', `andn ${d}, ${a}, ${mb}`, { set: [[a, va]], mem: [pb], undef: U });
    const ctl = F.below(2) ? F.below(40) | (F.below(40) << 8) : F.rand();
    F.add('bextr r32, r32, r32', `bextr ${d}, ${a}, ${b}`, { set: [[a, va], [b, ctl]], undef: U | SF });
    F.add('bextr r32, m32, r32', `bextr ${d}, ${ma}, ${b}`, { set: [[b, ctl]], mem: [pa], undef: U | SF });
    for (const op of ['blsi', 'blsmsk', 'blsr']) {
      F.add(`${op} r32, r32`, `${op} ${d}, ${a}`, { set: [[a, va]], undef: U });
      F.add(`${op} r32, m32`, `${op} ${d}, ${ma}`, { mem: [pa], undef: U });
    }
    const idx = F.below(2) ? F.below(40) : F.rand();
    F.add('bzhi r32, r32, r32', `bzhi ${d}, ${a}, ${b}`, { set: [[a, va], [b, idx]], undef: U });
    for (const op of ['pdep', 'pext']) {
      F.add(`${op} r32, r32, r32`, `${op} ${d}, ${a}, ${b}`, { set: [[a, va], [b, vb]] });
      F.add(`${op} r32, r32, m32`, `${op} ${d}, ${a}, ${mb}`, { set: [[a, va]], mem: [pb] });
    }
    const cnt = F.below(2) ? F.below(40) : F.rand();
    for (const op of ['sarx', 'shlx', 'shrx']) F.add(`${op} r32, r32, r32`, `${op} ${d}, ${a}, ${b}`, { set: [[a, va], [b, cnt]] });
    F.add('rorx r32, r32, imm8', `rorx ${d}, ${a}, ${F.below(256)}`, { set: [[a, va]] });
    F.add('mulx r32, r32, r32', `mulx ${d}, ${a}, ${b}`, { set: [['edx', F.val(32)], [b, vb]] });
    F.add('mulx r32, r32, m32 (same destinations)', `mulx ${d}, ${d}, ${mb}`, { set: [['edx', F.val(32)]], mem: [pb] });
    for (const size of [16, 32]) {
      const [r1, r2] = F.regs(size, 2), v = F.below(4) ? F.val(size) : 0;
      F.add(`tzcnt r${size}, r${size}`, `tzcnt ${r1}, ${r2}`, { set: [[r2, v]], undef: OF | SF | U });
      const [mv, pv] = mem(size, v);
      F.add(`tzcnt r${size}, m${size}`, `tzcnt ${r1}, ${mv}`, { mem: [pv], undef: OF | SF | U });
    }
    for (const size of [8, 16, 32]) {
      const [r2] = F.regs(size, 1, [d]), v = F.val(size);
      F.add(`crc32 r32, r${size}`, `crc32 ${d}, ${r2}`, { set: [[r2, v]] });
      const [mv, pv] = mem(size, v);
      F.add(`crc32 r32, m${size}`, `crc32 ${d}, ${mv}`, { mem: [pv] });
    }
  }
  F.add('lock tzcnt: #UD', 'db 0xf0\ntzcnt eax, ecx', {});
  F.add('andn with VEX.L1: #UD', 'db 0xc4, 0xe2, 0x74, 0xf2, 0xc2', {});
}

function xchg(F) {
  for (const size of [8, 16, 32]) {
    const S = SZ[size];
    for (let i = 0; i < 20; i++) {
      const [r1, r2] = F.regs(size, 2);
      const m = M + F.below(0x100);
      F.add(`xchg r${size}, r${size}`, `xchg ${r1}, ${r2}`, {});
      F.add(`xchg m${size}, r${size}`, `xchg ${S} [${h(m)}], ${r2}`, {});
      const a = F.val(size), b = F.val(size);
      F.add(`xadd r${size}, r${size}`, `xadd ${r1}, ${r2}`, { set: [[r1, a], [r2, b]] });
      F.add(`xadd m${size}, r${size}`, `xadd ${S} [${h(m)}], ${r2}`, { set: [[r2, b]], mem: [W(m, size, a)] });
      F.add(`lock xadd m${size}, r${size}`, `lock xadd ${S} [${h(m)}], ${r2}`, { set: [[r2, b]], mem: [W(m, size, a)] });
      const acc = regName(size, 0);
      const [d, s] = F.regs(size, 2, size === 8 ? ['al', 'ah'] : ['eax']);
      for (const eq of [true, false]) {
        const av = F.val(size), dv = eq ? av : F.val(size);
        F.add(`cmpxchg r${size}, r${size}`, `cmpxchg ${d}, ${s}`, { set: [[acc, av], [d, dv]], note: eq ? 'equal' : 'different' });
        F.add(`cmpxchg m${size}, r${size}`, `lock cmpxchg ${S} [${h(m)}], ${s}`, { set: [[acc, av]], mem: [W(m, size, dv)], note: eq ? 'equal' : 'different' });
      }
      if (size !== 8) {
        const [r] = F.regs(size, 1, ['eax', 'ax']);
        F.add(`xchg ${acc}, r${size} (90+r)`, `xchg ${acc}, ${r}`, {});
      }
    }
  }
  for (const size of [8, 16, 32]) {
    for (let i = 0; i < 6; i++) {
      const [r] = F.regs(size, 1);
      const acc = regName(size, 0);
      F.add(`xadd r${size}, same`, `xadd ${r}, ${r}`, { set: [[r, F.val(size)]], note: 'the sum wins' });
      F.add(`xchg r${size}, same`, `xchg ${r}, ${r}`, {});
      F.add(`cmpxchg r${size}, same`, `cmpxchg ${r}, ${r}`, { set: [[r, F.val(size)]] });
      F.add(`cmpxchg ${acc}, ${acc}`, `cmpxchg ${acc}, ${acc}`, { set: [[acc, F.val(size)]] });
      const [s] = F.regs(size, 1, size === 8 ? ['al', 'ah'] : ['eax', 'ax']);
      F.add(`cmpxchg ${acc}, r${size}`, `cmpxchg ${acc}, ${s}`, { set: [[acc, F.val(size)]] });
    }
  }
  F.add('xchg eax, eax (nop)', 'xchg eax, eax', {});
  F.add('xchg ax, ax (66 90)', 'db 0x66, 0x90', {});
  for (let i = 0; i < 20; i++) {
    const lo = F.rand(), hi = F.rand(), m = M + 8 * F.below(16);
    const mode = i % 3; // 0 equal, 1 low differs, 2 high differs
    const set = [['eax', lo], ['edx', mode === 2 ? hi ^ 1 : hi]];
    F.add('cmpxchg8b m64', `lock cmpxchg8b [${h(m)}]`, { set, mem: [W(m, 32, mode === 1 ? lo ^ 0x100 : lo), W(m + 4, 32, hi)], note: ['equal', 'low differs', 'high differs'][mode] });
  }
}

function movx(F) {
  for (const [op, sx] of [['movzx', false], ['movsx', true]]) {
    for (const [ds, ss] of [[16, 8], [32, 8], [32, 16]]) {
      for (const v of [...edges(ss), ...Array.from({ length: 10 }, () => F.rand() & mask(ss))]) {
        const [d] = F.regs(ds, 1);
        const [s] = F.regs(ss, 1);
        const m = M + F.below(0x100);
        F.add(`${op} r${ds}, r${ss}`, `${op} ${d}, ${s}`, { set: [[s, v]] });
        F.add(`${op} r${ds}, m${ss}`, `${op} ${d}, ${SZ[ss]} [${h(m)}]`, { mem: [W(m, ss, v)] });
      }
    }
    // movzx/movsx r16, r/m16 (66 0f b7 / 66 0f bf)
    const [d] = F.regs(16, 1);
    F.add(`${op} r16, r16`, `db 0x66, 0x0f, ${sx ? '0xbf' : '0xb7'}, ${h(0xc0 | (R16.indexOf(d) << 3) | 1)}`, { set: [['ecx', 0x8765fedc]] });
  }
  for (const [op, size] of [['cbw', 8], ['cwde', 16], ['cwd', 16], ['cdq', 32]]) {
    for (const v of [...edges(size), ...Array.from({ length: 6 }, () => F.rand() & mask(size))]) {
      F.add(op, op, { set: [[regName(size, 0), v]] });
    }
  }
  // mov in its forms, including moffs, the 66 prefix and xlat
  for (const size of [8, 16, 32]) {
    const S = SZ[size], acc = regName(size, 0);
    for (let i = 0; i < 6; i++) {
      const [r1, r2] = F.regs(size, 2);
      const m = M + F.below(0x100);
      const v = F.val(size);
      F.add(`mov r${size}, r${size}`, `mov ${r1}, ${r2}`, {});
      F.add(`mov r${size}, imm`, `mov ${r1}, ${h(v)}`, {});
      F.add(`mov m${size}, imm`, `mov ${S} [${h(m)}], ${h(v)}`, {});
      F.add(`mov m${size}, r${size}`, `mov ${S} [${h(m)}], ${r2}`, {});
      F.add(`mov r${size}, m${size}`, `mov ${r1}, ${S} [${h(m)}]`, {});
      F.add(`mov ${acc}, moffs`, `mov ${acc}, [${h(m)}]`, {});
      F.add(`mov moffs, ${acc}`, `mov [${h(m)}], ${acc}`, {});
      F.add(`mov r${size}, [base+index*scale+disp]`, `mov ${r1}, ${S} [esi+edi*4+0x10]`, { set: [['esi', M], ['edi', F.below(64)]] });
    }
  }
  for (let i = 0; i < 8; i++) {
    F.add('xlat', 'xlatb', { set: [['ebx', M], ['al', F.rand()]] });
  }
}

// All 32 combinations of CF PF ZF SF OF.
function flagCombos() {
  const out = [];
  for (let i = 0; i < 32; i++) out.push((i & 1 ? CF : 0) | (i & 2 ? PF : 0) | (i & 4 ? ZF : 0) | (i & 8 ? SF : 0) | (i & 16 ? OF : 0));
  return out;
}

function cond(F) {
  for (const cc of CC) {
    for (const f of flagCombos()) {
      const flags = f | (F.below(2) ? AF : 0);
      const m = M + F.below(0x100);
      const [r8] = F.regs(8, 1);
      F.add(`set${cc} r8`, `set${cc} ${r8}`, { flags });
      if (F.below(4) === 0) F.add(`set${cc} m8`, `set${cc} byte [${h(m)}]`, { flags });
      const [a, b] = F.regs(32, 2);
      F.add(`cmov${cc} r32, r32`, `cmov${cc} ${a}, ${b}`, { flags });
      const [c, d] = F.regs(16, 2);
      F.add(`cmov${cc} r16, r16`, `cmov${cc} ${c}, ${d}`, { flags });
      if (F.below(4) === 0) F.add(`cmov${cc} r32, m32`, `cmov${cc} ${a}, dword [${h(m)}]`, { flags });
      F.add(`j${cc} rel8`, `j${cc} short .t\nmov eax, 1\n.t:`, { flags });
      F.add(`j${cc} rel32`, `j${cc} near .t\nmov eax, 1\n.t:`, { flags });
      if (F.below(4) === 0) F.add(`j${cc} rel16 (66 prefix)`, `db 0x66, 0x0f, ${h(0x80 + CC.indexOf(cc))}\ndw 0`, { flags, note: 'target truncated to 16 bits unless not taken' });
    }
  }
  // Conditions read from the lazy flag state of the previous instruction.
  const all = CC.map((cc, i) => `set${cc} byte [${h(DATA + i)}]`).join('\n');
  const ops = [
    ['cmp', 32], ['cmp', 16], ['cmp', 8], ['sub', 32], ['add', 32], ['add', 8], ['adc', 32], ['sbb', 32], ['sbb', 16],
    ['and', 32], ['or', 16], ['xor', 8], ['test', 32], ['inc', 32], ['dec', 16], ['neg', 32], ['neg', 8],
    ['shl1', 32], ['shr1', 16], ['sar1', 8], ['rol1', 32], ['rcr1', 16],
  ];
  for (const [op, size] of ops) {
    const E = edges(size);
    for (let i = 0; i < 40; i++) {
      const a = i < E.length ? E[i] : F.val(size), b = i < E.length ? E[(i * 7) % E.length] : F.val(size);
      const [r1, r2] = F.regs(size, 2);
      let asm;
      if (op.endsWith('1')) asm = `${op.slice(0, 3)} ${r1}, 1`;
      else if (['inc', 'dec', 'neg'].includes(op)) asm = `${op} ${r1}`;
      else asm = `${op} ${r1}, ${r2}`;
      F.add(`${op.replace('1', ' 1')} r${size} then setcc x16`, `${asm}\n${all}`, { set: [[r1, a], [r2, b]], undef: LOGIC.has(op) || /1$/.test(op) && !/^r/.test(op) ? AF : 0 });
    }
  }
}

// lea with every ModRM/SIB form, 32-bit and 16-bit addressing.
function lea(F) {
  for (const md of [0, 1, 2]) {
    for (let rm = 0; rm < 8; rm++) {
      const sibs = rm === 4 ? Array.from({ length: 256 }, (_, i) => i) : [null];
      for (const sib of sibs) {
        const reg = F.below(8);
        const bytes = [0x8d, (md << 6) | (reg << 3) | rm];
        if (sib !== null) bytes.push(sib);
        const d32 = (md === 0 && rm === 5) || (md === 0 && sib !== null && (sib & 7) === 5) || md === 2;
        if (md === 1) bytes.push(F.below(256));
        if (d32) bytes.push(...le(F.rand(), 32));
        F.add(`lea mod=${md} rm=${rm}${sib !== null ? ' sib' : ''}`, `db ${bytes.map(h).join(', ')}`, { note: sib !== null ? `sib=${h(sib)}` : undefined });
      }
    }
  }
  for (const md of [0, 1, 2]) {
    for (let rm = 0; rm < 8; rm++) {
      for (let i = 0; i < 3; i++) {
        const reg = F.below(8);
        const pfx = i === 2 ? [0x66, 0x67] : [0x67];
        const bytes = [...pfx, 0x8d, (md << 6) | (reg << 3) | rm];
        if (md === 1) bytes.push(F.below(256));
        if (md === 2 || (md === 0 && rm === 6)) bytes.push(...le(F.rand() & 0xffff, 16));
        F.add(`lea (67 prefix) mod=${md} rm=${rm}${i === 2 ? ' (66 67)' : ''}`, `db ${bytes.map(h).join(', ')}`, {});
      }
    }
  }
  for (let i = 0; i < 16; i++) {
    const [r] = F.regs(16, 1);
    F.add('lea r16 (66 prefix)', `lea ${r}, [eax+ecx*2+${F.below(1000)}]`, {});
  }
}

function stack(F) {
  const sp = ESP0;
  for (let r = 0; r < 8; r++) {
    F.add('push r32', `push ${R32[r]}`, {});
    F.add('push r16', `push ${R16[r]}`, {});
    F.add('push r32 (ff /6)', `db 0xff, ${h(0xf0 | r)}`, {});
    F.add('pop r32', `pop ${R32[r]}`, {});
    F.add('pop r16', `pop ${R16[r]}`, {});
    F.add('pop r32 (8f /0)', `db 0x8f, ${h(0xc0 | r)}`, {});
  }
  for (let i = 0; i < 8; i++) {
    const v = F.rand(), m = M + 4 * F.below(32);
    F.add('push imm32', `push strict dword ${h(v)}`, {});
    F.add('push simm8', `push strict byte ${(v & 0xff) - 128}`, {});
    F.add('push imm16', `push strict word ${h(v & 0xffff)}`, {});
    F.add('push simm8 (66)', `db 0x66, 0x6a, ${h(v & 0xff)}`, {});
    F.add('push m32', `push dword [${h(m)}]`, {});
    F.add('push m16', `push word [${h(m)}]`, {});
    F.add('pop m32', `pop dword [${h(m)}]`, {});
    F.add('pop m16', `pop word [${h(m)}]`, {});
    F.add('pop m32 [esp]', `pop dword [esp]`, { note: 'the address uses esp after the pop' });
    F.add('pop m32 [esp+4]', `pop dword [esp+4]`, {});
    F.add('push m32 [esp]', `push dword [esp]`, {});
    F.add('push esp; pop esp', `push esp\npop esp`, {});
    F.add('pushad', 'pushad', {});
    F.add('pushaw', 'pushaw', {});
    F.add('popad', 'popad', {});
    F.add('popaw', 'popaw', {});
  }
  for (const f of [0, 0xcd5, 0x8d5, 0x400, 0x045, 0x891]) {
    F.add('pushfd', 'pushfd', { flags: f });
    F.add('pushfw', 'pushfw', { flags: f });
  }
  const PM = ARITH | DF | 0x4000 | 0x200000; // popf: arithmetic flags, DF, NT, ID
  for (const v of [0, 0xffffffff & ~(TF | 0x40000), 0xcd5, 0x8d5, 0x400, 0x200000, 0x4000, 0x3000, 0x245, 0x02]) {
    const m = [W(sp, 32, v)];
    F.add('popfd', 'popfd', { mem: m, fmask: PM, flags: F.rand() & ARITH });
    F.add('popfw', 'popfw', { mem: m, fmask: PM, flags: F.rand() & ARITH });
    F.add('popfd; pushfd', 'popfd\npushfd', { mem: m, fmask: PM });
  }
  for (let i = 0; i < 6; i++) {
    const flags = F.rand() & ARITH;
    F.add('pushfd; popfd after arithmetic', `add eax, ebx\npushfd\nxor eax, eax\npopfd`, { flags });
  }
  // enter / leave
  for (const [size, lvl] of [[0, 0], [16, 0], [8, 1], [8, 2], [12, 3], [4, 5], [0x104, 1], [32, 31], [8, 32], [8, 33]]) {
    F.add(`enter ${size}, ${lvl}`, `enter ${size}, ${lvl}`, { set: [['ebp', sp + 0x40]] });
    F.add(`enter ${size}, ${lvl} (66)`, `o16 enter ${size}, ${lvl}`, { set: [['ebp', sp + 0x40]] });
  }
  F.add('enter; leave', 'enter 16, 0\nleave', {});
  for (let i = 0; i < 4; i++) {
    F.add('leave', 'leave', { set: [['ebp', sp + 4 * F.below(64)]] });
    F.add('leave (66)', 'o16 leave', { set: [['ebp', sp + 2 * F.below(128)]] });
  }
  // call / ret / jmp
  F.add('call rel32', 'call .t\nint3\n.t:', {});
  F.add('call rel32 backwards', 'jmp .a\n.b: int3\n.a: call .b', {});
  for (const r of [0, 1, 2, 3, 5, 6, 7]) {
    F.add('call r32', `call ${R32[r]}\nint3\n.t:`, { set: [[R32[r], CODE + 0x40]] });
    F.add('jmp r32', `jmp ${R32[r]}`, { set: [[R32[r], CODE + 0x40]] });
  }
  F.add('call esp-relative m32', 'call [esp+8]', { mem: [W(sp + 8, 32, CODE + 0x30)] });
  F.add('call m32', `call [${h(M)}]`, { mem: [W(M, 32, CODE + 0x30)] });
  F.add('jmp m32', `jmp [${h(M)}]`, { mem: [W(M, 32, CODE + 0x30)] });
  for (const n of [0, 4, 8, 0x100, 0xfffc]) {
    F.add(`ret ${n}`, n ? `ret ${n}` : 'ret', { mem: [W(sp, 32, CODE + 0x40)] });
  }
  F.add('jmp rel8', 'jmp short .t\nmov eax, 1\n.t:', {});
  F.add('jmp rel32', 'jmp near .t\nmov eax, 1\n.t:', {});
}

function loop(F) {
  for (const op of ['loop', 'loope', 'loopne', 'jecxz', 'jcxz']) {
    for (const c of [0, 1, 2, 5, 0x10000, 0x10001, 0xffffffff]) {
      for (const zf of [0, ZF]) {
        const flags = (F.rand() & ARITH & ~ZF) | zf;
        F.add(`${op}`, `${op} .t\nmov eax, 1\n.t:`, { set: [['ecx', c]], flags });
        if (op.startsWith('loop')) F.add(`${op} (67: cx)`, `a16 ${op} .t\nmov eax, 1\n.t:`, { set: [['ecx', c]], flags });
      }
    }
  }
  // multi-iteration loops
  for (const c of [1, 3, 10]) {
    F.add('loop counting', `xor eax, eax\n.l: add eax, ecx\nloop .l`, { set: [['ecx', c]] });
    F.add('loope scan', `mov esi, ${h(M)}\n.l: lodsb\ncmp al, 0x41\nloope .l`, { set: [['ecx', c * 2]], mem: [[M, [0x41, 0x41, 0x41, 0x41, 0x41, 0x42, 0x41, 0x41, 0x41]]] });
    F.add('loopne scan', `mov esi, ${h(M)}\n.l: lodsb\ncmp al, 0x41\nloopne .l`, { set: [['ecx', c * 2]], mem: [[M, [1, 2, 3, 4, 0x41, 6, 7, 8, 9]]] });
  }
}

function strings(F) {
  const src = DATA + 0x200, dst = DATA + 0x400;
  const ops = ['movs', 'cmps', 'stos', 'lods', 'scas'];
  for (const op of ops) {
    for (const [sfx, size] of [['b', 8], ['w', 16], ['d', 32]]) {
      for (const rep of ['', 'rep ', 'repe ', 'repne ']) {
        if ((op === 'cmps' || op === 'scas') ? rep === 'rep ' : (rep === 'repe ' || rep === 'repne ')) continue;
        for (const df of [0, DF]) {
          for (const n of rep ? [0, 1, 3, 7, 20] : [0]) {
            // source and destination agree for the first k elements
            const k = F.below(n + 2);
            const bytesPer = size / 8;
            const len = 24 * bytesPer;
            const a = Array.from({ length: len }, () => F.below(256));
            const b = a.slice();
            const diffAt = df ? len - 1 - k * bytesPer : k * bytesPer;
            if (diffAt >= 0 && diffAt < len) b[diffAt] ^= 0x5a;
            const acc = df ? b.slice(len - bytesPer) : b.slice(0, bytesPer);
            let ax = 0;
            acc.forEach((x, i) => { ax |= x << (8 * i); });
            if (F.below(2)) ax = F.rand() & mask(size); // scas: maybe not the first element
            const start = (base) => df ? base + len - bytesPer : base;
            const set = [['esi', start(src)], ['edi', start(dst)], ['ecx', n], [regName(size, 0), ax >>> 0]];
            const flags = (F.rand() & ARITH) | df;
            F.add(`${rep}${op}${sfx}${df ? ' (DF=1)' : ''}`, `${rep}${op}${sfx}`, { set, flags, mem: [[src, a], [dst, b]], note: `ecx=${n}` });
          }
        }
      }
    }
  }
  // 16-bit addressing (67): si/di/cx
  F.add('a16 rep movsb', 'a16 rep movsb', { set: [['esi', 0x12340000 | ((src) & 0xffff)], ['edi', 0x56780000 | (dst & 0xffff)], ['ecx', 0xabcd0005]], mem: [[src, [1, 2, 3, 4, 5, 6]]], note: 'si = 0x200 is unmapped: faults with nothing done' });
  // rep with a segment override on the source
  F.add('rep movsd with ds override', 'ds rep movsd', { set: [['esi', src], ['edi', dst], ['ecx', 4]] });
  F.add('rep stosd fill', 'rep stosd', { set: [['edi', dst], ['ecx', 33], ['eax', 0xdeadbeef]] });
  F.add('rep movsb overlapping', 'rep movsb', { set: [['esi', src], ['edi', src + 1], ['ecx', 16]] });
}

function flagops(F) {
  for (const op of ['lahf', 'sahf', 'clc', 'stc', 'cmc', 'cld', 'std']) {
    for (let i = 0; i < 24; i++) {
      const flags = (F.rand() & (ARITH | DF));
      F.add(op, op, { flags, set: [['eax', F.rand()]] });
    }
  }
  F.add('std; cld', 'std\ncld', { flags: 0 });
  F.add('add; cmc', 'add eax, ebx\ncmc', {});
  F.add('sub; stc; adc', 'sub eax, ebx\nstc\nadc ecx, edx', {});
  F.add('add; lahf', 'add eax, ebx\nlahf', {});
}

function bcd(F) {
  for (const op of ['daa', 'das', 'aaa', 'aas']) {
    const undef = op === 'daa' || op === 'das' ? OF : OF | SF | ZF | PF;
    for (let al = 0; al < 256; al++) {
      for (const f of [0, AF, CF, AF | CF]) {
        const flags = (F.rand() & (PF | ZF | SF | OF)) | f;
        F.add(op, op, { set: [['eax', (F.rand() & 0xffff0000) | ((F.rand() & 0xff) << 8) | al]], flags, undef });
      }
    }
  }
  for (const base of [10, 16, 7, 1, 255]) {
    for (let i = 0; i < 64; i++) {
      const ax = i < 8 ? [0, 9, 0x99, 0xff, 0x0909, 0xff00, 0xffff, 0x1234][i] : F.rand() & 0xffff;
      F.add(`aam ${base}`, base === 10 ? 'aam' : `aam ${base}`, { set: [['ax', ax]], undef: OF | AF | CF });
      F.add(`aad ${base}`, base === 10 ? 'aad' : `aad ${base}`, { set: [['ax', ax]], undef: OF | AF | CF });
    }
  }
}

// Faults, code that changes itself, code across a page boundary.
function misc(F) {
  for (const size of [8, 16, 32]) {
    const S = SZ[size], acc = regName(size, 0);
    for (const op of ['div', 'idiv']) {
      const [r] = F.regs(size, 1, size === 8 ? ['al', 'ah'] : ['eax', 'edx']);
      F.add(`${op} r${size} by zero`, `${op} ${r}`, { set: [[r, 0]], undef: ALL6 });
      F.add(`${op} m${size} by zero`, `${op} ${S} [${h(M)}]`, { mem: [W(M, size, 0)], undef: ALL6 });
      const hiName = size === 8 ? 'ah' : regName(size, 2);
      F.add(`${op} r${size} quotient overflow`, `${op} ${r}`, { set: [[acc, 0], [hiName, 0x40], [r, 2]], undef: ALL6 });
    }
    const min = 2 ** (size - 1);
    const set = size === 8 ? [['ax', 0x8000 - 0x10000 + 0x10000]] : [[acc, 0], [regName(size, 2), min]];
    // INT_MIN / -1 over the double-width dividend: -2^(2w-1) / -1
    const [r] = F.regs(size, 1, size === 8 ? ['al', 'ah'] : ['eax', 'edx']);
    F.add(`idiv r${size} INT_MIN / -1`, `idiv ${r}`, { set: [...set, [r, mask(size)]], undef: ALL6 });
    const set2 = size === 8 ? [['ax', 0xff80]] : [[acc, min], [regName(size, 2), mask(size)]];
    F.add(`idiv r${size} sign-extended INT_MIN / -1`, `idiv ${r}`, { set: [...set2, [r, mask(size)]], undef: ALL6 });
  }
  F.add('aam 0', 'aam 0', { undef: ALL6 });
  for (const op of ['div', 'idiv']) {
    for (const ax of [0x0a64, 0xff80, 0x8001, 0x0100]) F.add(`${op} ah`, `${op} ah`, { set: [['ax', ax]], undef: ALL6 });
  }
  for (const op of ['mul', 'imul']) for (let i = 0; i < 4; i++) F.add(`${op} ah`, `${op} ah`, { undef: SF | ZF | AF | PF });
  // rarely used i386 instructions
  F.add('into, OF clear', 'into', { flags: 0 });
  F.add('into, OF set', 'into', { flags: OF });
  for (const [v, note] of [[0x100, 'inside'], [0x0ff, 'below'], [0x201, 'above'], [0x200, 'upper bound'], [0xfffffff0, 'negative']]) {
    F.add('bound r32, m32&32', `bound eax, [${h(M)}]`, { set: [['eax', v]], mem: [W(M, 32, 0x100), W(M + 4, 32, 0x200)], note });
    F.add('bound r16, m16&16', `bound ax, [${h(M)}]`, { set: [['ax', v & 0xffff]], mem: [W(M, 16, 0x100), W(M + 2, 16, 0x200)], note });
  }
  for (const f of [0, CF]) F.add('salc', 'db 0xd6', { flags: f });
  for (let i = 0; i < 4; i++) F.add('test r/m32, imm32 (f7 /1 alias)', `db 0xf7, 0xc9\ndd ${h(F.rand())}`, { undef: AF });
  F.add('mov r/m32, imm with reg field 1', 'db 0xc7, 0xc8\ndd 0', {});
  F.add('cmpxchg8b with a register operand', 'db 0x0f, 0xc7, 0xc8', {});
  F.add('lea with a register operand', 'db 0x8d, 0xc0', {});
  // prefixes and hint instructions that do nothing
  F.add('pause', 'pause', {});
  F.add('rep nop (f3 90)', 'db 0xf3, 0x90', {});
  F.add('rep ret', 'jmp .a\n.r: rep ret\n.a: call .r', {});
  F.add('nop r/m32 (0f 1f)', 'nop dword [eax+eax*1+0x0]', {});
  F.add('multi-byte nop with 66', 'db 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00', {});
  for (const seg of ['ds', 'es', 'ss', 'cs']) {
    F.add(`${seg} override on a load`, `mov eax, [${seg}:${h(M)}]`, {});
    if (seg !== 'cs') F.add(`${seg} override on a store`, `mov [${seg}:${h(M)}], ecx`, {}); // a cs store is #GP: not modelled
  }
  F.add('lock add m32', `lock add dword [${h(M)}], ecx`, {});
  F.add('lock or m8', `lock or byte [${h(M)}], cl`, { undef: AF });
  F.add('lock inc m16', `lock inc word [${h(M)}]`, {});
  F.add('lock bts m32', `lock bts dword [${h(M)}], ecx`, { set: [['ecx', 77]], undef: OF | SF | AF | PF });
  // code that runs off the end of the mapped code pages
  F.add('instruction cut by an unmapped page', 'mov eax, 0x12345678', { codeOff: 0x1ffd });
  F.add('next instruction on an unmapped page', 'nop', { codeOff: 0x1fff });
  F.add('jump to the last byte before an unmapped page', 'jmp eax', { set: [['eax', CODE + 0x1fff]], note: '0x10001fff holds int3' });
  // loads and stores through SIB addressing
  for (let i = 0; i < 24; i++) {
    const base = F.pick(['eax', 'ecx', 'edx', 'ebx', 'ebp', 'esi', 'edi']);
    const index = F.pick(['eax', 'ecx', 'edx', 'ebx', 'ebp', 'esi', 'edi'].filter((r) => r !== base));
    const scale = F.pick([1, 2, 4, 8]), idx = F.below(64), disp = F.below(512) - 256;
    const baseVal = DATA + 0x800 - idx * scale - disp;
    const [d] = F.regs(32, 1, [base, index]);
    F.add('mov r32, [base+index*scale+disp]', `mov ${d}, [${base}+${index}*${scale}${disp < 0 ? '-' : '+'}${Math.abs(disp)}]`, { set: [[base, baseVal], [index, idx]] });
    F.add('add [base+index*scale+disp], r32', `add [${base}+${index}*${scale}${disp < 0 ? '-' : '+'}${Math.abs(disp)}], ${d}`, { set: [[base, baseVal], [index, idx]] });
    F.add('mov r32, [esp+index*scale+disp]', `mov ${d}, [esp+${index}*${scale}+${4 * F.below(64)}]`, { set: [[index, idx]] });
  }
  F.add('ud2', 'ud2', {});
  F.add('int3', 'int3\nmov eax, 1', {});
  F.add('hlt', 'hlt', {});
  F.add('cli', 'cli', {});
  F.add('read of an unmapped page', 'mov eax, [0x50000010]', {});
  F.add('read of an unmapped page (ebx base)', 'mov al, [ebx+0x20]', { set: [['ebx', 0x50000000]] });
  F.add('read crossing into an unmapped page', `mov eax, [${h(DATA + 0x1ffe)}]`, {});
  F.add('write crossing into an unmapped page', `mov dword [${h(DATA + 0x1ffe)}], 0x11223344`, {});
  F.add('write from an unmapped page into a read-only one', `mov dword [${h(RO - 1)}], eax`, {});
  F.add('push crossing below the stack', 'push eax', { set: [['esp', STACK + 2]] });
  // read-modify-write instructions fault as writes, even on an unmapped page
  const U = '0x50000010';
  for (const asm of [`add [${U}], eax`, `adc byte [${U}], 1`, `cmp [${U}], eax`, `test [${U}], eax`, `inc dword [${U}]`, `dec word [${U}]`,
    `neg dword [${U}]`, `not byte [${U}]`, `shl dword [${U}], 1`, `rcr word [${U}], cl`, `shl dword [${U}], 0`, `rol byte [${U}], 8`,
    `xchg [${U}], eax`, `xadd [${U}], eax`, `cmpxchg [${U}], ecx`, `cmpxchg8b [${U}]`, `bt dword [${U}], 3`, `bts dword [${U}], 3`,
    `btc [${U}], eax`, `shld [${U}], eax, 4`, `shrd [${U}], eax, cl`, `seto byte [${U}]`, `pop dword [${U}]`, `mov [${U}], eax`,
    `movsx eax, byte [${U}]`, `add eax, [${U}]`]) {
    F.add('access to an unmapped page', asm, { set: [['eax', 0], ['ecx', 0x100]], undef: ALL6 });
  }
  F.add('write to a read-only page', `mov dword [${h(RO + 0x10)}], eax`, {});
  F.add('read of a read-only page', `mov eax, [${h(RO + 0x10)}]`, {});
  F.add('add to a read-only page', `add [${h(RO + 0x20)}], eax`, {});
  F.add('push below the stack', 'push eax', { set: [['esp', STACK]] });
  F.add('rep stosb into an unmapped page', 'rep stosb', { set: [['edi', DATA + 0x1ff0], ['ecx', 32]] });
  F.add('rep movsd from an unmapped page', 'rep movsd', { set: [['esi', DATA + 0x1ff8], ['edi', DATA], ['ecx', 8]] });
  F.add('call to an unmapped page', 'call eax', { set: [['eax', 0x50000000]] });
  F.add('jmp to a non-executable page', 'jmp eax', { set: [['eax', DATA]] });
  // self-modifying code: patch the next instruction's immediate
  F.add('self-modifying: patch imm8 of the next instruction', `mov byte [${h(CODE)} + .i + 1 - @S], 0x42\n.i: mov al, 0`, {});
  F.add('self-modifying: patch imm32 of the next instruction', `mov dword [${h(CODE)} + .i + 1 - @S], 0x12345678\n.i: mov eax, 0`, {});
  F.add('self-modifying: patch an opcode', `mov byte [${h(CODE)} + .i - @S], 0x40\n.i: nop\nnop`, { note: 'nop becomes inc eax' });
  F.add('self-modifying: patch code already executed in a loop', `mov ecx, 3\nxor eax, eax\n.l: add eax, 1\nmov byte [${h(CODE)} + .l + 2 - @S], 0x10\nloop .l`, {});
  // instructions across the code page boundary
  for (let off = 0xff8; off < 0x1000; off++) {
    F.add('instruction straddling a page', 'mov eax, 0x12345678\nadd eax, 0x01020304\nlea ecx, [eax+ebx*4+0x11223344]', { codeOff: off, note: `at +${h(off)}` });
  }
  F.add('jcc straddling a page', 'jz near .t\nmov eax, 1\n.t: nop', { codeOff: 0xffd, flags: ZF });
  F.add('load straddling a data page', `mov eax, [${h(DATA + 0xffe)}]\nmov [${h(DATA + 0xffd)}], ebx`, {});
  F.add('cmpxchg8b straddling a data page', `cmpxchg8b [${h(DATA + 0xffc)}]`, {});
}

// Random sequences of flag-setting and flag-reading instructions: the lazy
// flag state must survive every kind of producer being followed by every
// kind of consumer. Flags an instruction leaves undefined stay masked until
// a later instruction defines them.
function chains(F) {
  const ALLF = ARITH;
  // [asm, flags written (defined), flags left undefined, flags read]
  const pool = [
    ['add eax, ebx', ALLF, 0], ['sub ecx, edx', ALLF, 0], ['cmp esi, edi', ALLF, 0], ['adc eax, ecx', ALLF, 0, CF],
    ['sbb edx, ebx', ALLF, 0, CF], ['add al, bl', ALLF, 0], ['sub cx, dx', ALLF, 0], ['adc dl, ah', ALLF, 0, CF],
    ['sbb si, di', ALLF, 0, CF], ['and eax, edx', ALLF & ~AF, AF], ['or cl, bl', ALLF & ~AF, AF], ['xor si, ax', ALLF & ~AF, AF],
    ['test ebx, ecx', ALLF & ~AF, AF], ['inc eax', ALLF & ~CF, 0], ['dec bl', ALLF & ~CF, 0], ['inc si', ALLF & ~CF, 0],
    ['neg edi', ALLF, 0], ['neg cl', ALLF, 0], ['not eax', 0, 0], ['clc', CF, 0], ['stc', CF, 0], ['cmc', CF, 0, CF],
    ['shl eax, 1', ALLF & ~AF, AF], ['shr dx, 1', ALLF & ~AF, AF], ['sar bl, 1', ALLF & ~AF, AF],
    ['rol ecx, 1', CF | OF, 0], ['ror si, 1', CF | OF, 0], ['rcl eax, 1', CF | OF, 0, CF], ['rcr dl, 1', CF | OF, 0, CF],
    ['shl ebx, 3', ALLF & ~AF & ~OF, AF | OF], ['rol eax, 5', CF, OF], ['bt eax, 3', CF, OF | SF | AF | PF],
    ['bts ecx, 17', CF, OF | SF | AF | PF], ['imul eax, ebx', CF | OF, SF | ZF | AF | PF], ['mul ecx', CF | OF, SF | ZF | AF | PF],
    ['lea eax, [eax+ebx]', 0, 0], ['mov ecx, edx', 0, 0], ['xchg eax, ebx', 0, 0],
    ['setc al', 0, 0, CF], ['seto bl', 0, 0, OF], ['setz cl', 0, 0, ZF], ['sets dl', 0, 0, SF], ['setp ah', 0, 0, PF],
    ['setl ch', 0, 0, SF | OF], ['setbe dh', 0, 0, CF | ZF], ['setg bh', 0, 0, ZF | SF | OF],
    ['cmovc eax, ecx', 0, 0, CF], ['cmovo edx, esi', 0, 0, OF], ['cmovle edi, ebx', 0, 0, ZF | SF | OF],
    ['lahf', 0, 0, CF | PF | AF | ZF | SF], ['sahf', CF | PF | AF | ZF | SF, 0],
    ['xadd eax, ecx', ALLF, 0], ['cmpxchg ebx, edx', ALLF, 0], ['bsf eax, ecx', ZF, CF | OF | SF | AF | PF],
    ['daa', CF | AF | SF | ZF | PF, OF, CF | AF], ['aaa', CF | AF, OF | SF | ZF | PF, AF],
    ['pushfd\npop ebp', 0, 0, ALLF], ['push ebp\npopfd', ALLF, 0],
  ];
  for (let i = 0; i < 600; i++) {
    const n = 2 + F.below(5);
    let undef = 0; // currently undefined flags
    const lines = [];
    for (let j = 0; j < n; j++) {
      let ins;
      // skip consumers of undefined flags
      for (let t = 0; t < 20; t++) {
        ins = F.pick(pool);
        if (!((ins[3] || 0) & undef)) break;
        ins = null;
      }
      if (!ins) break;
      if (ins[0] === 'push ebp\npopfd') lines.push(`mov ebp, ${h(F.rand() & (ARITH | 0x202) & ~TF)}`);
      lines.push(ins[0]);
      undef = (undef & ~ins[1]) | ins[2];
    }
    const regs = [['eax', F.val(32)], ['ebx', F.val(32)], ['ecx', F.val(32)], ['edx', F.val(32)], ['esi', F.val(16)], ['edi', F.val(8)]];
    F.add('flag chain', lines.join('\n'), { set: regs, undef });
  }
}

// Random encodings from a whitelist of user-mode integer opcodes: random
// ModRM (register forms, or [ebx+disp8] / [esp+disp8] with ebx inside the data
// pages), random immediates, sometimes a 66 prefix. Flags are compared where
// the opcode defines them all; jumps and calls land on the int3 fill or fault.
function fuzz(F) {
  const FULL = 0, LOGICF = AF, NONE_DEFINED = ALL6;
  // [opcode bytes, has ModRM, immediate bytes (-1: operand size), undefined flags, 66 allowed]
  const ops = [];
  for (let g = 0; g < 8; g++) {
    const u = [1, 4, 6].includes(g) ? LOGICF : FULL;
    for (let k = 0; k < 4; k++) ops.push([[g * 8 + k], true, 0, u, k & 1]);
    ops.push([[g * 8 + 4], false, 1, u, 0], [[g * 8 + 5], false, -1, u, 1]);
  }
  for (let r = 0; r < 16; r++) ops.push([[0x40 + r], false, 0, FULL, 1]);
  for (let r = 0; r < 16; r++) ops.push([[0x50 + r], false, 0, FULL, 1]);
  ops.push([[0x69], true, -1, SF | ZF | AF | PF, 1], [[0x6b], true, 1, SF | ZF | AF | PF, 1]);
  for (let c = 0; c < 16; c++) ops.push([[0x70 + c], false, 1, FULL, 0]);
  ops.push([[0x80], true, 1, AF, 0], [[0x81], true, -1, AF, 1], [[0x83], true, 1, AF, 1]);
  for (const o of [0x84, 0x85]) ops.push([[o], true, 0, AF, 1]);
  for (const o of [0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b]) ops.push([[o], true, 0, FULL, 1]);
  for (let o = 0x90; o <= 0x99; o++) ops.push([[o], false, 0, FULL, 1]);
  ops.push([[0x9e], false, 0, FULL, 0], [[0x9f], false, 0, FULL, 0], [[0xa8], false, 1, AF, 0], [[0xa9], false, -1, AF, 1]);
  for (let o = 0xb0; o <= 0xb7; o++) ops.push([[o], false, 1, FULL, 0]);
  for (let o = 0xb8; o <= 0xbf; o++) ops.push([[o], false, -1, FULL, 1]);
  ops.push([[0xc0], true, 1, ALL6, 0], [[0xc1], true, 1, ALL6, 1], [[0xd0], true, 0, ALL6, 0], [[0xd1], true, 0, ALL6, 1],
    [[0xd2], true, 0, ALL6, 0], [[0xd3], true, 0, ALL6, 1]);
  ops.push([[0xf6], true, 'grp3', ALL6, 0], [[0xf7], true, 'grp3', ALL6, 1], [[0xfe], true, 'incdec', FULL, 0], [[0xff], true, 'incdec', FULL, 1]);
  for (let c = 0; c < 16; c++) ops.push([[0x0f, 0x40 + c], true, 0, FULL, 1], [[0x0f, 0x90 + c], true, 0, FULL, 0]);
  for (const o of [0xa3, 0xab, 0xb3, 0xbb]) ops.push([[0x0f, o], 'reg', 0, OF | SF | AF | PF, 1]);
  ops.push([[0x0f, 0xba], 'bt', 1, OF | SF | AF | PF, 1]);
  // (16-bit shld/shrd take counts above 16, which leave the result undefined)
  ops.push([[0x0f, 0xa4], true, 1, ALL6, 0], [[0x0f, 0xa5], true, 0, ALL6, 0], [[0x0f, 0xac], true, 1, ALL6, 0], [[0x0f, 0xad], true, 0, ALL6, 0]);
  ops.push([[0x0f, 0xaf], true, 0, SF | ZF | AF | PF, 1], [[0x0f, 0xb0], true, 0, FULL, 0], [[0x0f, 0xb1], true, 0, FULL, 1]);
  for (const o of [0xb6, 0xb7, 0xbe, 0xbf]) ops.push([[0x0f, o], true, 0, FULL, o & 1 ? 0 : 1]);
  ops.push([[0x0f, 0xbc], true, 0, CF | OF | SF | AF | PF, 1], [[0x0f, 0xbd], true, 0, CF | OF | SF | AF | PF, 1]);
  ops.push([[0x0f, 0xc0], true, 0, FULL, 0], [[0x0f, 0xc1], true, 0, FULL, 1]);
  for (let r = 0; r < 8; r++) ops.push([[0x0f, 0xc8 + r], false, 0, FULL, 0]);
  for (let i = 0; i < 3000; i++) {
    const [opc, hasModrm, immSpec, undef0, may66] = F.pick(ops);
    const o16 = may66 && F.below(4) === 0;
    let undef = undef0;
    const bytes = o16 ? [0x66, ...opc] : [...opc];
    if (hasModrm) {
      let reg = F.below(8);
      if (immSpec === 'grp3') reg = F.pick([0, 2, 3, 4, 5, 6, 7]);
      if (immSpec === 'incdec') reg = opc[0] === 0xfe ? F.below(2) : F.pick([0, 1, 6]);
      if (hasModrm === 'bt') reg = 4 + F.below(4);
      const form = F.below(3);
      if (form === 0) bytes.push(0xc0 | (reg << 3) | F.below(8));
      else if (form === 1) bytes.push(0x43 | (reg << 3), F.below(256)); // [ebx+disp8]
      else bytes.push(0x44 | (reg << 3), 0x24, F.below(64) * 4); // [esp+disp8]
      if (immSpec === 'grp3') {
        if (reg === 0) bytes.push(...le(F.rand(), opc[0] === 0xf6 ? 8 : o16 ? 16 : 32));
        if (reg === 0) undef = AF; else if (reg === 2) undef = 0; else if (reg === 3) undef = 0;
      }
    }
    if (typeof immSpec === 'number' && immSpec !== 0) {
      const n = immSpec === -1 ? (o16 ? 2 : 4) : immSpec;
      bytes.push(...le(F.rand(), n * 8));
    }
    // esp must stay usable as a base: keep the register forms off it for writes
    const regs = [['ebx', DATA + 0x800 + 4 * F.below(64)]];
    for (const r of ['eax', 'ecx', 'edx', 'esi', 'edi', 'ebp']) regs.push([r, F.val(32)]);
    F.add(`fuzz ${opc.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`, `db ${bytes.map(h).join(', ')}`, { set: regs, undef });
  }
}

export const FAMILIES = { alu, muldiv, shift, bits, bmi, xchg, movx, cond, lea, stack, loop, strings, flagops, bcd, misc, chains, fuzz };

export function generate(name) {
  const F = new Family(name);
  FAMILIES[name](F);
  return F.cases;
}
