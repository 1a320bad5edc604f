// Replays a family of the native reference (reference/<family>.json, made by
// reference/gen.js) in the emulator: one uvu test per instruction group, each
// case compared on registers, eip, the defined flags, the stop reason (with
// the fault address for page faults) and every byte of the data and stack
// pages. FORKBOX_CASE=<substring> limits a run to matching cases.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BASE_RO, CODE, CODE_SIZE, DATA, DATA_SIZE, L, Machine, REASON_NAMES, REGS, RO, STACK, STACK_SIZE,
  hex, loadCore, preState,
} from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const core = await loadCore();

// Native trap number (from the signal context) -> the reason run() reports.
// #OF (into) and #BR (bound) are SIGSEGV on Linux, as #GP is.
const TRAP_REASON = {
  0: L.REASON_DE, 3: L.REASON_BREAKPOINT, 4: L.REASON_GP, 5: L.REASON_GP, 6: L.REASON_UD, 13: L.REASON_GP, 14: L.REASON_PAGE_FAULT,
};
const INT3_FILL = new Uint8Array(CODE_SIZE).fill(0xcc);
const fromHex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));

export function loadReference(family) {
  return JSON.parse(readFileSync(join(here, 'reference', `${family}.json`), 'utf8'));
}

export function newMachine() {
  const m = new Machine(core);
  m.write(RO, BASE_RO);
  return m;
}

// Run one reference case; returns a list of mismatch descriptions.
export function runCase(m, c) {
  const patches = (c.mem || []).map(([a, h]) => [a, fromHex(h)]);
  const { data, stack } = preState(patches);
  m.write(CODE, INT3_FILL);
  m.write(CODE + (c.codeOff || 0), fromHex(c.code));
  m.write(DATA, data);
  m.write(STACK, stack);
  REGS.forEach((r, i) => m.setReg(r, c.regs[i]));
  m.eip = CODE + (c.codeOff || 0);
  m.flags = c.flags | 0x202;
  const reason = m.run(100000);
  const out = c.out, bad = [];
  const want = TRAP_REASON[out.trap];
  if (reason !== want) bad.push(`reason ${REASON_NAMES[reason]}, want ${REASON_NAMES[want]}`);
  if (m.eip !== out.eip) bad.push(`eip ${hex(m.eip)}, want ${hex(out.eip)}`);
  REGS.forEach((r, i) => {
    const w = r in out.regs ? out.regs[r] : c.regs[i];
    if (m.reg(r) !== w) bad.push(`${r} ${hex(m.reg(r))}, want ${hex(w)}`);
  });
  const f = (m.flags & c.fmask) >>> 0;
  if (f !== out.flags) bad.push(`flags ${hex(f)}, want ${hex(out.flags)} (differ ${hex(f ^ out.flags)}, mask ${hex(c.fmask)})`);
  if (out.trap === 14 && reason === L.REASON_PAGE_FAULT) {
    if (m.faultAddr !== out.addr) bad.push(`fault address ${hex(m.faultAddr)}, want ${hex(out.addr)}`);
    if ((m.faultCode & 2) !== (out.err & 2)) bad.push(`fault code ${hex(m.faultCode)}, want write bit of ${hex(out.err)}`);
    if ((m.faultCode & 16) !== (out.err & 16)) bad.push(`fault code ${hex(m.faultCode)}, want fetch bit of ${hex(out.err)}`);
  }
  for (const [a, h] of out.mem || []) {
    const b = fromHex(h);
    if (a >= DATA && a < DATA + DATA_SIZE) data.set(b, a - DATA); else stack.set(b, a - STACK);
  }
  for (const [base, want, len] of [[DATA, data, DATA_SIZE], [STACK, stack, STACK_SIZE]]) {
    const got = m.read(base, len);
    const diffs = [];
    for (let i = 0; i < len; i++) if (got[i] !== want[i]) diffs.push(i);
    if (diffs.length) {
      const i = diffs[0];
      bad.push(`memory differs at ${diffs.length} bytes from ${hex(base + i)}: ` +
        `${Buffer.from(got.subarray(i, i + 8)).toString('hex')}, want ${Buffer.from(want.subarray(i, i + 8)).toString('hex')}`);
    }
  }
  return bad;
}

export function describe(c) {
  return `${c.name}\n      in: ${REGS.map((r, i) => `${r}=${hex(c.regs[i])}`).join(' ')} flags=${hex(c.flags)}` +
    `${c.mem ? ' mem=' + c.mem.map(([a, h]) => `${hex(a)}:${h}`).join(',') : ''}\n      code: ${c.code}`;
}

// A uvu suite with one test per instruction group of the family.
export function referenceSuite(family) {
  const ref = loadReference(family);
  const only = process.env.FORKBOX_CASE;
  const groups = new Map();
  for (const c of ref.cases) {
    if (only && !c.name.includes(only)) continue;
    if (!groups.has(c.group)) groups.set(c.group, []);
    groups.get(c.group).push(c);
  }
  const s = suite(`core reference: ${family}`);
  let m;
  s.before(() => { m = newMachine(); });
  for (const [group, cases] of groups) {
    s(`${group} (${cases.length} cases)`, () => {
      const fails = [];
      for (const c of cases) {
        const bad = runCase(m, c);
        if (bad.length) fails.push(`    ${describe(c)}\n      ${bad.join('\n      ')}`);
      }
      if (fails.length) {
        assert.unreachable(`${fails.length} of ${cases.length} cases differ from the CPU:\n` + fails.slice(0, 3).join('\n'));
      }
    });
  }
  return s;
}
