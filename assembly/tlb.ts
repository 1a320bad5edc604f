// Software TLB: vpage -> linear address of the frame, direct-mapped, with a
// read half and a write half. Also the one-page fetch cache of the decoder.
import {
  PAGE_SHIFT, TLB_ENTRIES, TLB_READ_HOST, TLB_READ_TAGS, TLB_WRITE_HOST, TLB_WRITE_TAGS,
} from "./layout";

// The code page the decoder fetches from: its vpage + 1 (0 = none) and frame.
export let codeTag: u64 = 0;
export let codeHost: usize = 0;

export function tlbFlush(): void {
  memory.fill(TLB_READ_TAGS, 0, TLB_ENTRIES * 8);
  memory.fill(TLB_WRITE_TAGS, 0, TLB_ENTRIES * 8);
  codeTag = 0;
}

export function tlbSetCode(vpage: u64, host: usize): void {
  codeTag = vpage + 1;
  codeHost = host;
}

@inline export function tlbSlot(vpage: u64): usize {
  return <usize>(vpage & (TLB_ENTRIES - 1));
}

export function tlbFillRead(vpage: u64, host: usize): void {
  let i = tlbSlot(vpage);
  store<u64>(TLB_READ_TAGS + (i << 3), vpage + 1);
  store<u32>(TLB_READ_HOST + (i << 2), <u32>host);
}

export function tlbFillWrite(vpage: u64, host: usize): void {
  let i = tlbSlot(vpage);
  store<u64>(TLB_WRITE_TAGS + (i << 3), vpage + 1);
  store<u32>(TLB_WRITE_HOST + (i << 2), <u32>host);
}

// No write entry may name the frame at `host` (it now holds decoded code).
export function tlbDropWrites(host: usize): void {
  for (let i: usize = 0; i < TLB_ENTRIES; i++) {
    if (<usize>load<u32>(TLB_WRITE_HOST + (i << 2)) == host) store<u64>(TLB_WRITE_TAGS + (i << 3), 0);
  }
}

// The frame at `host` was written: if it is the code page, fetch it afresh.
export function tlbCodeWritten(host: usize): void {
  if (codeHost == host) codeTag = 0;
}

// Forget one page (its frame or permissions changed).
export function tlbInvalidate(vpage: u64): void {
  let i = tlbSlot(vpage);
  if (load<u64>(TLB_READ_TAGS + (i << 3)) == vpage + 1) store<u64>(TLB_READ_TAGS + (i << 3), 0);
  if (load<u64>(TLB_WRITE_TAGS + (i << 3)) == vpage + 1) store<u64>(TLB_WRITE_TAGS + (i << 3), 0);
  if (codeTag == vpage + 1) codeTag = 0;
}

