// The run() boundary itself, on the emulator alone: stop reasons and where
// eip is left, fault address and error code, instruction budgets,
// copy-on-write between cloned address spaces, code across a page boundary
// and self-modifying code; the TLB across address-space switches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CODE, DATA, L, Machine, RO, STACK, loadCore } from './harness.js';

const core = await loadCore();
const ESP = STACK + 0x800;

// A fresh machine running `bytes` at CODE (an int3 follows them).
function machine(bytes, regs = {}) {
  const m = new Machine(core);
  m.write(CODE, Uint8Array.from([...bytes, 0xcc]));
  m.setRegs({ esp: ESP, ...regs });
  m.eip = CODE;
  m.flags = 0x202;
  return m;
}
const insnAddr = (m) => Number(m.dv.getBigUint64(m.cpu + L.CPU_INSN_ADDR, true));
const icount = (m) => Number(m.dv.getBigUint64(m.cpu + L.CPU_ICOUNT, true));

test('int 0x80 stops with REASON_INT80 and eip after it', () => {
  const m = machine([0xb8, 4, 0, 0, 0, 0xcd, 0x80, 0x40]); // mov eax, 4; int 0x80; inc eax
  assert.is(m.run(), L.REASON_INT80);
  assert.is(m.eip, CODE + 7);
  assert.is(insnAddr(m), CODE + 5);
  assert.is(m.reg('eax'), 4);
  m.setReg('eax', 10); // the kernel's return value
  assert.is(m.run(), L.REASON_BREAKPOINT);
  assert.is(m.reg('eax'), 11);
});

test('int n other than 0x80 is #GP with the vector recorded', () => {
  const m = machine([0x90, 0xcd, 0x21]);
  assert.is(m.run(), L.REASON_GP);
  assert.is(m.eip, CODE + 1);
  assert.is(m.vector, 0x21);
});

test('int3 stops with REASON_BREAKPOINT and eip after it', () => {
  const m = machine([0x90, 0xcc, 0x90]);
  assert.is(m.run(), L.REASON_BREAKPOINT);
  assert.is(m.eip, CODE + 2);
});

test('ud2 is REASON_UD with eip at the instruction', () => {
  const m = machine([0x90, 0x0f, 0x0b]);
  assert.is(m.run(), L.REASON_UD);
  assert.is(m.eip, CODE + 1);
});

test('hlt is REASON_GP with eip at the instruction', () => {
  const m = machine([0x90, 0xf4]);
  assert.is(m.run(), L.REASON_GP);
  assert.is(m.eip, CODE + 1);
});

for (const [name, bytes, regs] of [
  ['div ecx by zero', [0xf7, 0xf1], { eax: 5, edx: 0, ecx: 0 }],
  ['div cl by zero', [0xf6, 0xf1], { eax: 5, ecx: 0x100 }],
  ['div quotient too large', [0xf7, 0xf1], { eax: 0, edx: 1, ecx: 1 }],
  ['idiv INT_MIN / -1', [0xf7, 0xf9], { eax: 0x80000000, edx: 0xffffffff, ecx: 0xffffffff }],
  ['idiv 64-bit INT_MIN / -1', [0xf7, 0xf9], { eax: 0, edx: 0x80000000, ecx: 0xffffffff }],
  ['idiv word INT_MIN / -1', [0x66, 0xf7, 0xf9], { eax: 0x8000, edx: 0xffff, ecx: 0xffff }],
  ['idiv byte INT_MIN / -1', [0xf6, 0xf9], { eax: 0xff80, ecx: 0xff }],
  ['aam 0', [0xd4, 0x00], { eax: 0x1234 }],
]) {
  test(`${name} is REASON_DE with eip at the instruction and registers kept`, () => {
    const m = machine([0x90, ...bytes], regs);
    const before = { ...m.regs(), ...regs };
    assert.is(m.run(), L.REASON_DE);
    assert.is(m.eip, CODE + 1);
    assert.is(insnAddr(m), CODE + 1);
    assert.equal(m.regs(), Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v >>> 0])));
    assert.is(icount(m), 1); // the nop retired, the division did not
  });
}

test('a read of an unmapped page is a page fault with its address', () => {
  const m = machine([0x8b, 0x83, 0x34, 0x12, 0, 0], { ebx: 0x50000000 }); // mov eax, [ebx+0x1234]
  assert.is(m.run(), L.REASON_PAGE_FAULT);
  assert.is(m.eip, CODE);
  assert.is(m.faultAddr, 0x50001234);
  assert.is(m.faultCode & 2, 0, 'not a write');
  assert.is(m.faultCode & 1, 0, 'not present');
});

test('a write to a read-only page is a page fault with the write bit', () => {
  const m = machine([0x90, 0x89, 0x0d, ...le32(RO + 0x10)], { ecx: 7 }); // mov [RO+0x10], ecx
  assert.is(m.run(), L.REASON_PAGE_FAULT);
  assert.is(m.eip, CODE + 1);
  assert.is(m.faultAddr, RO + 0x10);
  assert.is(m.faultCode & 2, 2, 'write bit');
  assert.is(m.faultCode & 1, 1, 'present bit');
  assert.is.not(m.read32(RO + 0x10), 7);
});

test('a page-crossing store that faults on its second page writes nothing', () => {
  const m = machine([0xc7, 0x05, ...le32(DATA + 0x1ffe), ...le32(0x11223344)]); // mov dword [DATA+0x1ffe], imm
  m.write(DATA + 0x1ffe, Uint8Array.of(0xaa, 0xbb));
  assert.is(m.run(), L.REASON_PAGE_FAULT);
  assert.is(m.faultAddr, DATA + 0x2000);
  assert.equal([...m.read(DATA + 0x1ffe, 2)], [0xaa, 0xbb]);
});

test('a jump to an unmapped page faults on the fetch', () => {
  const m = machine([0xff, 0xe0], { eax: 0x50000000 }); // jmp eax
  assert.is(m.run(), L.REASON_PAGE_FAULT);
  assert.is(m.eip, 0x50000000);
  assert.is(m.faultAddr, 0x50000000);
  assert.is(m.faultCode & 16, 16, 'fetch bit');
});

test('a jump into a non-executable page faults on the fetch', () => {
  const m = machine([0xff, 0xe0], { eax: DATA });
  assert.is(m.run(), L.REASON_PAGE_FAULT);
  assert.is(m.faultAddr, DATA);
  assert.is(m.faultCode & 17, 17, 'fetch of a present page');
});

test('the budget stops run() with REASON_BUDGET after that many instructions', () => {
  const m = machine([0x40, 0xeb, 0xfd]); // l: inc eax; jmp l
  m.setReg('eax', 0);
  assert.is(m.run(7), L.REASON_BUDGET);
  assert.is(m.reg('eax'), 4);
  assert.is(m.eip, CODE + 1);
  assert.is(icount(m), 7);
  assert.is(m.run(2), L.REASON_BUDGET);
  assert.is(m.reg('eax'), 5);
});

test('lazy flags survive a return from run() and a budget stop', () => {
  const m = machine([0x01, 0xd8, 0x72, 0x01, 0x90]); // add eax, ebx; jc +1; nop
  m.setRegs({ eax: 0xffffffff, ebx: 1 });
  assert.is(m.run(1), L.REASON_BUDGET);
  assert.is(m.flags & 0xcd5, 0x55); // CF PF AF ZF
  assert.is(m.run(), L.REASON_BREAKPOINT);
  assert.is(m.eip, CODE + 6); // the jump was taken over the nop onto the int3
});

test('copy-on-write: a clone shares pages until one side writes', () => {
  const m = machine([0x89, 0x05, ...le32(DATA + 0x10)], { eax: 0x11111111 }); // mov [DATA+0x10], eax
  m.write32(DATA + 0x10, 0xaaaaaaaa);
  const parent = m.as;
  const child = core.addressSpaceClone(parent);
  assert.ok(child);
  const copies = core.statCowCopies();
  m.setAs(child);
  assert.is(core.run(m.cpu, 100), L.REASON_BREAKPOINT);
  assert.is(core.statCowCopies(), copies + 1, 'the child write copied the page');
  assert.is(m.read32(DATA + 0x10), 0xaaaaaaaa, 'parent unchanged');
  assert.is(new DataView(m.read(DATA + 0x10, 4, child).buffer).getUint32(0, true), 0x11111111, 'child changed');
  // The parent writes next: its page is now its own again, no second copy.
  m.setAs(parent);
  m.eip = CODE;
  m.setReg('eax', 0x22222222);
  assert.is(core.run(m.cpu, 100), L.REASON_BREAKPOINT);
  assert.is(m.read32(DATA + 0x10), 0x22222222);
  assert.is(new DataView(m.read(DATA + 0x10, 4, child).buffer).getUint32(0, true), 0x11111111, 'child unchanged');
  assert.ok(core.statCowCopies() <= copies + 2);
  core.addressSpaceFree(child);
});

test('copy-on-write: a write in the parent leaves the clone unchanged', () => {
  const m = machine([0x89, 0x05, ...le32(DATA + 0x20)], { eax: 0x33333333 });
  m.write32(DATA + 0x20, 0x44444444);
  const child = core.addressSpaceClone(m.as);
  const copies = core.statCowCopies();
  assert.is(core.run(m.cpu, 100), L.REASON_BREAKPOINT);
  assert.is(core.statCowCopies(), copies + 1);
  assert.is(m.read32(DATA + 0x20), 0x33333333);
  assert.is(new DataView(m.read(DATA + 0x20, 4, child).buffer).getUint32(0, true), 0x44444444);
  core.addressSpaceFree(child);
});

test('copy-on-write: stores through a cached TLB entry after a clone still copy', () => {
  // Warm the write TLB for the page, clone, then store again without leaving run().
  const m = machine([0x89, 0x05, ...le32(DATA + 0x30), 0xcd, 0x80, 0x89, 0x1d, ...le32(DATA + 0x34)], { eax: 1, ebx: 2 });
  assert.is(core.run(m.cpu, 100), L.REASON_INT80);
  const child = core.addressSpaceClone(m.as);
  assert.is(core.run(m.cpu, 100), L.REASON_BREAKPOINT);
  assert.is(m.read32(DATA + 0x34), 2);
  assert.is.not(new DataView(m.read(DATA + 0x34, 4, child).buffer).getUint32(0, true), 2, 'the clone did not see the store');
  core.addressSpaceFree(child);
});

test('an instruction straddling two code pages', () => {
  const m = machine([]);
  const code = [0xb8, 0x78, 0x56, 0x34, 0x12, 0x05, 0x04, 0x03, 0x02, 0x01, 0xcc]; // mov eax, imm; add eax, imm; int3
  for (let off = 0xff6; off <= 0x1000; off++) {
    m.write(CODE + off, Uint8Array.from(code));
    m.eip = CODE + off;
    assert.is(m.run(), L.REASON_BREAKPOINT, `at ${off.toString(16)}`);
    assert.is(m.reg('eax'), 0x1336597c, `at ${off.toString(16)}`);
    assert.is(m.eip, CODE + off + code.length);
  }
});

test('self-modifying code: a store into the next instruction takes effect', () => {
  // mov byte [CODE+8], 0x42; mov al, 0 (its immediate is at CODE+8)
  const m = machine([0xc6, 0x05, ...le32(CODE + 8), 0x42, 0xb0, 0x00], { eax: 0xffffffff });
  assert.is(m.run(), L.REASON_BREAKPOINT);
  assert.is(m.reg('eax'), 0xffffff42);
});

test('self-modifying code on the other code page, across a page-crossing instruction', () => {
  // The patched instruction starts at CODE+0xffe and ends on the next page.
  const m = machine([]);
  m.write(CODE, Uint8Array.from([0xc7, 0x05, ...le32(CODE + 0xfff), 0x55667788, 0xe9, ...le32(0xffe - 15)].flat()));
  m.write(CODE, Uint8Array.from([0xc7, 0x05, ...le32(CODE + 0xfff), ...le32(0x55667788), 0xe9, ...le32(0xffe - 15)]));
  m.write(CODE + 0xffe, Uint8Array.from([0xb8, 0, 0, 0, 0, 0xcc])); // mov eax, 0
  assert.is(m.run(), L.REASON_BREAKPOINT);
  assert.is(m.reg('eax'), 0x55667788);
});

function le32(v) { return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]; }


test('fork shares page tables: a map, unmap or protect in one clone leaves the others alone', () => {
  const m = machine([]);
  m.write32(DATA, 0x55555555);
  m.write32(DATA + 0x1000, 0x66666666);
  const used = core.statFramesUsed();
  const child = core.addressSpaceClone(m.as);
  const grand = core.addressSpaceClone(child);
  const read32 = (va, as) => new DataView(m.read(va, 4, as).buffer).getUint32(0, true);
  core.addressSpaceUnmap(child, DATA, L.PAGE_SIZE);
  assert.throws(() => m.read(DATA, 4, child), /not mapped/);
  assert.is(m.read32(DATA), 0x55555555, 'parent keeps the page');
  assert.is(read32(DATA, grand), 0x55555555, 'grandchild keeps the page');
  core.addressSpaceProtect(grand, DATA + 0x1000, L.PAGE_SIZE, L.PROT_READ);
  m.write32(DATA + 0x1000, 0x77777777); // still writable in the parent
  assert.is(read32(DATA + 0x1000, grand), 0x66666666);
  assert.is(read32(DATA + 0x1000, child), 0x66666666);
  assert.is(core.addressSpaceMap(child, DATA, L.PAGE_SIZE, L.PROT_READ | L.PROT_WRITE), 0);
  assert.is(read32(DATA, child), 0, 'a fresh zero page in the child');
  assert.is(m.read32(DATA), 0x55555555);
  core.addressSpaceFree(child);
  core.addressSpaceFree(grand);
  assert.is(core.statFramesUsed(), used, 'every frame is back');
});

// Runs in each address space without flushing the TLB in between, as the
// kernel does: CODE stores ebx at DATA+0x40 and loads it back into eax;
// CODE+0x20 only loads it.
function spaceRunner() {
  const m = machine([0x89, 0x1d, ...le32(DATA + 0x40), 0xa1, ...le32(DATA + 0x40)]);
  m.write(CODE + 0x20, Uint8Array.from([0xa1, ...le32(DATA + 0x40), 0xcc]));
  const run = (as, at, ebx = 0) => {
    m.setAs(as);
    m.eip = at;
    m.setReg('ebx', ebx);
    const reason = core.run(m.cpu, 100);
    return reason === L.REASON_BREAKPOINT ? m.reg('eax') : -reason;
  };
  return {
    m,
    store: (as, v) => run(as, CODE, v),
    load: (as) => run(as, CODE + 0x20),
  };
}

test('the TLB keeps address spaces apart: each run sees its own pages', () => {
  const { m, store, load } = spaceRunner();
  const spaces = [m.as, ...[1, 2, 3].map(() => core.addressSpaceClone(m.as))];
  for (let round = 0; round < 3; round++) {
    spaces.forEach((as, i) => assert.is(store(as, i * 0x100 + round), i * 0x100 + round));
    spaces.forEach((as, i) => assert.is(load(as), i * 0x100 + round, `space ${i} round ${round}`));
  }
  // A page taken away from a space that is not running faults on its next run.
  core.addressSpaceUnmap(spaces[2], DATA, L.PAGE_SIZE);
  assert.is(load(spaces[2]), -L.REASON_PAGE_FAULT);
  assert.is(load(spaces[1]), 0x102);
  // So does a write to a page made read-only meanwhile.
  core.addressSpaceProtect(spaces[3], DATA, L.PAGE_SIZE, L.PROT_READ);
  assert.is(store(spaces[3], 5), -L.REASON_PAGE_FAULT);
  assert.is(load(spaces[3]), 0x302);
  for (const as of spaces.slice(1)) core.addressSpaceFree(as);
  m.setAs(m.as);
});

test('the TLB across thousands of short-lived clones: reused root frames and id epochs', () => {
  const { m, store, load } = spaceRunner();
  assert.is(store(m.as, 0xabcd), 0xabcd);
  const used = core.statFramesUsed();
  for (let i = 0; i < 9000; i++) { // more than two epochs of 4095 ids
    const child = core.addressSpaceClone(m.as);
    if (load(child) !== 0xabcd) assert.unreachable(`clone ${i} read ${load(child)}`);
    if (store(child, i) !== i) assert.unreachable(`clone ${i} store`);
    if (load(m.as) !== 0xabcd) assert.unreachable(`parent after clone ${i}`);
    core.addressSpaceFree(child);
  }
  assert.is(core.statFramesUsed(), used);
  m.setAs(m.as);
});

test.run();
