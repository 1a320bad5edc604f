#!/usr/bin/env node
// Regenerates the core test reference: `node test/core/reference/gen.js [family...]`.
//
// For every case of cases.js: assemble its snippet with NASM (all of a
// family's snippets in one NASM file, each followed by an int3), run it on
// this machine's CPU with runner.c + enter.asm (gcc -m32, i386), and record
// the registers, eip, eflags (minus the flags the SDM leaves undefined for the
// instruction), the trap that stopped it and the memory it changed into
// <family>.json. The tests then need no toolchain: they replay the cases in
// the emulator and compare.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SIZE, REGS, BASE_DATA, BASE_RO, BASE_STACK, DATA, DATA_SIZE, STACK, STACK_SIZE, preState } from '../harness.js';
import { FAMILIES, generate } from './cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'forkbox-ref-'));
const OUT_WORDS = 14;
const OUT_SIZE = OUT_WORDS * 4 + DATA_SIZE + STACK_SIZE;

function buildRunner() {
  execFileSync('nasm', ['-f', 'elf32', join(here, 'enter.asm'), '-o', join(tmp, 'enter.o')]);
  execFileSync('gcc', ['-m32', '-O1', '-no-pie', '-Wall', join(here, 'runner.c'), join(tmp, 'enter.o'), '-o', join(tmp, 'runner')]);
  return join(tmp, 'runner');
}

// Assemble every snippet; returns one Uint8Array of code per case.
function assemble(name, cases) {
  const lines = ['bits 32', 'section .text'];
  cases.forEach((_, i) => lines.push(`dd c${i}_s, c${i}_e - c${i}_s`));
  cases.forEach((c, i) => {
    lines.push(`c${i}_s:`);
    for (const l of c.asm.split('\n')) lines.push('  ' + l.replaceAll('@S', `c${i}_s`));
    lines.push('  int3', `c${i}_e:`);
  });
  const src = join(tmp, `${name}.asm`), bin = join(tmp, `${name}.bin`);
  writeFileSync(src, lines.join('\n') + '\n');
  try {
    execFileSync('nasm', ['-f', 'bin', '-w-all', src, '-o', bin], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = String(e.stderr);
    const m = /:(\d+):/.exec(err);
    throw new Error(`nasm failed for ${name}:\n${err}${m ? `\nline: ${lines[Number(m[1]) - 1]}` : ''}`);
  }
  const out = readFileSync(bin);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  return cases.map((_, i) => {
    const off = dv.getUint32(i * 8, true), len = dv.getUint32(i * 8 + 4, true);
    return new Uint8Array(out.subarray(off, off + len));
  });
}

function u32s(...vs) { const b = Buffer.alloc(4 * vs.length); vs.forEach((v, i) => b.writeUInt32LE(v >>> 0, 4 * i)); return b; }
const hexOf = (bytes) => Buffer.from(bytes).toString('hex');

// Changed bytes as [addr, hex] runs.
function diff(base, before, after) {
  const runs = [];
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    let j = i;
    while (j + 1 < before.length && (before[j + 1] !== after[j + 1] || (j + 2 < before.length && before[j + 2] !== after[j + 2]))) j++;
    runs.push([base + i, hexOf(after.subarray(i, j + 1))]);
    i = j;
  }
  return runs;
}

function runFamily(runner, name) {
  const cases = generate(name);
  // Code running past the two code pages is cut there (fetch-fault cases).
  const code = assemble(name, cases).map((b, i) => b.subarray(0, CODE_SIZE - cases[i].codeOff));
  const parts = [u32s(0x7866626b, cases.length), Buffer.from(BASE_DATA), Buffer.from(BASE_STACK), Buffer.from(BASE_RO)];
  cases.forEach((c, i) => {
    parts.push(u32s(c.codeOff, code[i].length), Buffer.from(code[i]), u32s(...c.regs, c.flags, c.mem.length));
    for (const [addr, bytes] of c.mem) parts.push(u32s(addr, bytes.length), Buffer.from(bytes));
  });
  const r = spawnSync(runner, [], { input: Buffer.concat(parts), maxBuffer: OUT_SIZE * cases.length + 1024 });
  if (r.status !== 0 || r.stdout.length !== OUT_SIZE * cases.length) {
    throw new Error(`runner failed for ${name}: status ${r.status} signal ${r.signal}, ${r.stdout.length} bytes\n${r.stderr}`);
  }
  const out = r.stdout;
  const json = cases.map((c, i) => {
    const o = out.subarray(i * OUT_SIZE, (i + 1) * OUT_SIZE);
    const w = (k) => o.readUInt32LE(4 * k);
    const { data, stack } = preState(c.mem);
    const after = {
      trap: w(10),
      regs: Object.fromEntries(REGS.map((r, k) => [r, w(k)]).filter(([, v], k) => v !== c.regs[k])), // changed ones
      eip: w(8),
      flags: (w(9) & c.fmask) >>> 0,
    };
    if (after.trap === 14) { after.addr = w(12); after.err = w(11); }
    const dataAfter = o.subarray(OUT_WORDS * 4, OUT_WORDS * 4 + DATA_SIZE);
    const stackAfter = o.subarray(OUT_WORDS * 4 + DATA_SIZE);
    const mem = [...diff(DATA, data, dataAfter), ...diff(STACK, stack, stackAfter)];
    if (mem.length) after.mem = mem;
    const rec = { name: c.name, group: c.group, code: hexOf(code[i]) };
    if (c.codeOff) rec.codeOff = c.codeOff;
    rec.regs = c.regs;
    rec.flags = c.flags;
    if (c.mem.length) rec.mem = c.mem.map(([a, b]) => [a, hexOf(b)]);
    rec.fmask = c.fmask;
    rec.out = after;
    return rec;
  });
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const doc = { family: name, cpu, regenerate: 'node test/core/reference/gen.js ' + name, cases: json };
  // One case a line: diffs of a regenerated reference stay readable.
  const text = '{\n' + Object.entries(doc).filter(([k]) => k !== 'cases').map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`).join('') +
    '  "cases": [\n' + json.map((c) => '    ' + JSON.stringify(c)).join(',\n') + '\n  ]\n}\n';
  writeFileSync(join(here, `${name}.json`), text);
  const traps = {};
  for (const c of json) traps[c.out.trap] = (traps[c.out.trap] || 0) + 1;
  console.log(`${name}: ${json.length} cases, traps ${JSON.stringify(traps)}`);
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(FAMILIES);
try {
  const runner = buildRunner();
  for (const n of names) {
    if (!FAMILIES[n]) throw new Error(`unknown family ${n}; have ${Object.keys(FAMILIES).join(' ')}`);
    runFamily(runner, n);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
