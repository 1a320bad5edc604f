// The stack as push and pop see it: rsp in 64-bit mode, esp (flat) otherwise.
import { mode64, rget32, rget64, rset32, rset64, stopped } from "./cpu";
import { rd32, rd64, rdN, wr32, wr64, wrN } from "./mem";

const RSP: u32 = 4;

@inline export function spGet(): u64 { return mode64 ? rget64(RSP) : <u64>rget32(RSP); }
@inline export function spSet(v: u64): void { if (mode64) rset64(RSP, v); else rset32(RSP, <u32>v); }
@inline export function stackAddr(v: u64): u64 { return mode64 ? v : v & 0xffffffff; }

export function push(size: u32, v: u64): void {
  let sp = stackAddr(spGet() - size);
  if (size == 8) wr64(sp, v); // the usual sizes inline
  else if (size == 4) wr32(sp, <u32>v);
  else wrN(size, sp, v);
  if (!stopped) spSet(sp);
}

export function pop(size: u32): u64 {
  let sp = spGet();
  let v = size == 8 ? rd64(sp) : size == 4 ? <u64>rd32(sp) : rdN(size, sp);
  if (!stopped) spSet(stackAddr(sp + size));
  return v;
}
