// The running task's state. General registers stay in the task's CPU block
// (they are indexed); the instruction pointer, the lazy flags and the
// stop/fault bookkeeping live in Wasm globals while run() executes and are
// written back to the block when it returns.
import {
  CPU_FS_BASE, CPU_GS_BASE, CPU_MODE, CPU_REASON, CPU_FAULT_ADDR, CPU_FAULT_CODE,
  CPU_INSN_ADDR, CPU_VECTOR, REASON_PAGE_FAULT, REASON_UD, UD_INVALID,
} from "./layout";

export let cpu: usize = 0; // the running task's CPU block
export let ip: u64 = 0; // next byte to fetch
export let insnStart: u64 = 0; // first byte of the instruction being executed
export let mode64: bool = false;
export let stopped: bool = false; // run() leaves after the current instruction
export let faulted: bool = false; // ... and eip goes back to its first byte

@inline export function setCpu(p: usize): void { cpu = p; mode64 = load<u32>(p + CPU_MODE) == 64; }
@inline export function setIp(v: u64): void { ip = v; }
@inline export function setInsnStart(v: u64): void { insnStart = v; }
@inline export function clearStop(): void { stopped = false; faulted = false; }

// Registers by x86 number; 8-bit numbers 4..7 name ah/ch/dh/bh unless a REX prefix is present.
@inline export function rget64(r: u32): u64 { return load<u64>(cpu + (<usize>r << 3)); }
@inline export function rget32(r: u32): u32 { return load<u32>(cpu + (<usize>r << 3)); }
@inline export function rget16(r: u32): u32 { return load<u16>(cpu + (<usize>r << 3)); }
@inline export function rset64(r: u32, v: u64): void { store<u64>(cpu + (<usize>r << 3), v); }
@inline export function rset32(r: u32, v: u32): void { store<u64>(cpu + (<usize>r << 3), <u64>v); }
@inline export function rset16(r: u32, v: u32): void { store<u16>(cpu + (<usize>r << 3), <u16>v); }

// Byte register address: low byte of r, or the high byte of r-4 (ah..bh).
@inline export function r8addr(r: u32, rex: bool): usize {
  if (r < 4 || rex) return cpu + (<usize>r << 3);
  return cpu + (<usize>(r - 4) << 3) + 1;
}

// Read/write a register of a given operand size (1, 2, 4, 8); 4 zero-extends.
@inline export function rget(size: u32, r: u32, rex: bool): u64 {
  if (size == 4) return <u64>rget32(r);
  if (size == 8) return rget64(r);
  if (size == 2) return <u64>rget16(r);
  return <u64>load<u8>(r8addr(r, rex));
}

@inline export function rset(size: u32, r: u32, v: u64, rex: bool): void {
  if (size == 4) rset32(r, <u32>v);
  else if (size == 8) rset64(r, v);
  else if (size == 2) rset16(r, <u32>v);
  else store<u8>(r8addr(r, rex), <u8>v);
}

@inline export function fsBase(): u64 { return load<u64>(cpu + CPU_FS_BASE); }
@inline export function gsBase(): u64 { return load<u64>(cpu + CPU_GS_BASE); }

// Leave run() after this instruction with `reason`. Faults rewind to the
// instruction's first byte so it can be restarted or reported.
export function stop(reason: u32): void {
  stopped = true;
  store<u32>(cpu + CPU_REASON, reason);
  store<u64>(cpu + CPU_INSN_ADDR, insnStart);
}

export function fault(reason: u32): void {
  stop(reason);
  ip = insnStart;
  faulted = true; // run() rewinds again: a handler may fetch more bytes after the fault
}

// #UD for an encoding the architecture defines as invalid (see UD_INVALID).
export function invalidOpcode(): void {
  store<u32>(cpu + CPU_FAULT_CODE, UD_INVALID);
  fault(REASON_UD);
}

export function pageFault(addr: u64, code: u32): void {
  if (stopped) return; // keep the first fault of an instruction
  store<u64>(cpu + CPU_FAULT_ADDR, addr);
  store<u32>(cpu + CPU_FAULT_CODE, code);
  fault(REASON_PAGE_FAULT);
}

export function setVector(v: u32): void { store<u32>(cpu + CPU_VECTOR, v); }
