// CPUID's leaves (not differential: the host CPU is another one), checked
// against what the core implements and against each other: the feature bits
// libcs read, the cache hierarchy glibc derives from leaves 2 and 4 (and
// 0x80000006), the brand string, address sizes; rdtscp and rdpid; and how a
// VEX prefix and a LOCK prefix are told apart from les/lds and from
// instructions forkbox lacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CODE, L, Machine, STACK, loadCore } from './harness.js';

const core = await loadCore();

function machine(bytes, regs = {}) {
  const m = new Machine(core);
  m.write(CODE, Uint8Array.from([...bytes, 0xcc]));
  m.setRegs({ esp: STACK + 0x800, ...regs });
  m.eip = CODE;
  m.flags = 0x202;
  return m;
}

function cpuid(leaf, sub = 0) {
  const m = machine([0x0f, 0xa2], { eax: leaf, ecx: sub, ebx: 0x55555555, edx: 0x55555555 });
  assert.is(m.run(), L.REASON_BREAKPOINT);
  return { eax: m.reg('eax'), ebx: m.reg('ebx'), ecx: m.reg('ecx'), edx: m.reg('edx') };
}
const bits = (...n) => n.reduce((a, b) => (a | (1 << b)) >>> 0, 0);
const text = (...regs) => Buffer.from(Uint32Array.from(regs).buffer).toString('latin1');

test('leaf 0: highest basic leaf 7, GenuineIntel', () => {
  const r = cpuid(0);
  assert.is(r.eax, 7);
  assert.is(text(r.ebx, r.edx, r.ecx), 'GenuineIntel');
});

test('leaf 1: exactly the implemented features (x86-64-v2, no AVX/XSAVE/MOVBE/PCLMUL/AES/HTT)', () => {
  const r = cpuid(1);
  // FPU TSC CX8 CMOV MMX FXSR SSE SSE2
  assert.is(r.edx, bits(0, 4, 8, 15, 23, 24, 25, 26));
  // SSE3 SSSE3 CX16 SSE4.1 SSE4.2 POPCNT
  assert.is(r.ecx, bits(0, 9, 13, 19, 20, 23));
  assert.is((r.ebx >>> 16) & 0xff, 1, 'one logical processor');
});

test('leaf 7: BMI1 and BMI2 in EBX, RDPID in ECX, nothing else; other subleaves empty', () => {
  assert.equal(cpuid(7, 0), { eax: 0, ebx: bits(3, 8), ecx: bits(22), edx: 0 });
  assert.equal(cpuid(7, 1), { eax: 0, ebx: 0, ecx: 0, edx: 0 });
});

// glibc's handle_intel: leaf 2 descriptor 0xff sends it to leaf 4.
function leaf4Caches() {
  const caches = [];
  for (let i = 0; ; i++) {
    const r = cpuid(4, i);
    const type = r.eax & 0x1f;
    if (type === 0) { assert.equal(r, { eax: 0, ebx: 0, ecx: 0, edx: 0 }); break; }
    assert.ok(i < 8, 'leaf 4 ends with a type-0 subleaf');
    const ways = (r.ebx >>> 22) + 1, parts = ((r.ebx >>> 12) & 0x3ff) + 1, line = (r.ebx & 0xfff) + 1;
    caches.push({ type, level: (r.eax >>> 5) & 7, ways, line, size: ways * parts * line * (r.ecx + 1) });
  }
  return caches;
}

test('leaf 2 defers to leaf 4, whose caches are 32K L1d + 32K L1i, 1M L2, 16M L3', () => {
  const r2 = cpuid(2);
  assert.is(r2.eax & 0xff, 1, 'one round');
  const descriptors = [r2.eax & ~0xff, r2.ebx, r2.ecx, r2.edx].flatMap((w) => [0, 8, 16, 24].map((s) => (w >>> s) & 0xff));
  assert.ok(descriptors.includes(0xff), 'descriptor 0xff: use leaf 4');
  assert.equal(leaf4Caches(), [
    { type: 1, level: 1, ways: 8, line: 64, size: 32 << 10 },
    { type: 2, level: 1, ways: 8, line: 64, size: 32 << 10 },
    { type: 3, level: 2, ways: 16, line: 64, size: 1 << 20 },
    { type: 3, level: 3, ways: 16, line: 64, size: 16 << 20 },
  ]);
});

test('0x80000006 describes the same L2 as leaf 4', () => {
  const l2 = leaf4Caches().find((c) => c.level === 2);
  const r = cpuid(0x80000006);
  assert.is((r.ecx >>> 16) * 1024, l2.size);
  assert.is(r.ecx & 0xff, l2.line);
  assert.is((r.ecx >>> 12) & 0xf, 8, 'associativity encoding 8 = 16 ways');
  assert.is(l2.ways, 16);
});

test('extended leaves: range, features, brand string, address sizes', () => {
  assert.is(cpuid(0x80000000).eax, 0x80000008);
  const e1 = cpuid(0x80000001);
  assert.is(e1.ecx, bits(0, 5)); // LAHF/SAHF in 64-bit mode, LZCNT
  assert.is(e1.edx, bits(11, 27, 29)); // SYSCALL, RDTSCP, long mode
  const brand = [2, 3, 4].map((i) => cpuid(0x80000000 + i)).map((r) => text(r.eax, r.ebx, r.ecx, r.edx)).join('');
  assert.is(brand.length, 48);
  assert.is(brand.replace(/\0+$/, ''), 'forkbox virtual CPU');
  assert.is((cpuid(0x80000008).eax >>> 8) & 0xff, 48, 'linear address bits');
});

test('a leaf beyond either range answers like the highest basic leaf (as Intel does)', () => {
  assert.equal(cpuid(0x20), cpuid(7));
  assert.equal(cpuid(0x80000009), cpuid(7));
});

test('rdtscp: the counter and TSC_AUX (cpu 0, node 0) in ecx; rdpid: TSC_AUX', () => {
  // rdtsc; mov esi, eax; rdtscp; rdpid edi
  const m = machine([0x0f, 0x31, 0x89, 0xc6, 0x0f, 0x01, 0xf9, 0xf3, 0x0f, 0xc7, 0xff], { ecx: 0x1234, edi: 77 });
  assert.is(m.run(), L.REASON_BREAKPOINT);
  assert.is(m.reg('ecx'), 0);
  assert.is(m.reg('edi'), 0);
  assert.ok(m.reg('eax') >= m.reg('esi'), 'monotonic');
});

test('32-bit mode: c4/c5 are VEX only when the next byte has its top bits set', () => {
  // andn eax, ecx, edx (c4 e2 70 f2 c2): eax = ~ecx & edx
  const m = machine([0xc4, 0xe2, 0x70, 0xf2, 0xc2], { ecx: 0xff00ff00, edx: 0x12345678 });
  assert.is(m.run(), L.REASON_BREAKPOINT);
  assert.is(m.reg('eax'), (~0xff00ff00 & 0x12345678) >>> 0);
  const les = machine([0xc4, 0x00]); // les eax, [eax]: not implemented, reported
  assert.is(les.run(), L.REASON_UD);
  assert.is(les.faultCode, 0);
});

test('#UD: an invalid encoding is marked UD_INVALID, a missing instruction is not', () => {
  const cases = [
    [[0xf0, 0x66, 0x0f, 0x38, 0x00, 0xc1], L.UD_INVALID], // lock pshufb
    [[0xf0, 0xf3, 0x0f, 0xbc, 0xc0], L.UD_INVALID], // lock tzcnt
    [[0xf0, 0x0f, 0x2a, 0xc1], L.UD_INVALID], // lock cvtpi2ps
    [[0x66, 0xc4, 0xe2, 0x70, 0xf2, 0xc2], L.UD_INVALID], // 66 before VEX
    [[0xc4, 0xe2, 0x74, 0xf2, 0xc2], L.UD_INVALID], // andn with VEX.L = 1
    [[0xc5, 0xf1, 0xfc, 0xc2], 0], // vpaddb: AVX is not implemented
    [[0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x00], 0], // pclmulqdq: not implemented
  ];
  for (const [bytes, code] of cases) {
    const m = machine(bytes);
    assert.is(m.run(), L.REASON_UD, bytes.map((b) => b.toString(16)).join(' '));
    assert.is(m.faultCode, code, bytes.map((b) => b.toString(16)).join(' '));
    assert.is(m.eip, CODE);
  }
});

test.run();
