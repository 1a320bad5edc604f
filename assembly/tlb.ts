// Software TLB: vpage -> linear address of the frame, direct-mapped, with
// read, write and fetch parts. Also the one-page fetch cache of the decoder.
//
// Entries of every address space live side by side, so switching between
// processes (and a fork, and a child's exit) keeps what the others cached.
// Each space gets a 12-bit id when it first runs; its key is id << 52 plus a
// hash of the id in bits 9..0. A page's tag is vpage ^ key and its slot the
// tag's low bits: spaces spread over different slots, and no tag is 0 or
// names another space (vpage < 2^52). Ids are handed out in epochs: when all
// 4095 are used the whole TLB is flushed and a new epoch starts, which voids
// every id handed out before (it is reassigned on the space's next run).
import {
  AS_TLB_ID, PAGE_SHIFT, TLB_ENTRIES, TLB_EXEC_HOST, TLB_EXEC_TAGS, TLB_READ_HOST, TLB_READ_TAGS,
  TLB_WRITE_HOST, TLB_WRITE_TAGS,
} from "./layout";

// The code page the decoder fetches from: its vpage + 1 (0 = none) and frame.
export let codeTag: u64 = 0;
export let codeHost: usize = 0;

// The address space the CPU runs in, and its key.
export let curAs: u32 = 0;
export let tlbKey: u64 = 0;

let epoch: u32 = 1;
let nextId: u32 = 1;

@inline function idSlot(as: u32): usize { return AS_TLB_ID + (<usize>(as >> PAGE_SHIFT) << 2); }
function keyOf(id: u32): u64 { return (<u64>id << 52) | <u64>((id * 0x9e3779b1) >> 22); }

// The key of `as`, or 0 when it has none in this epoch (so no entries).
function keyFor(as: u32): u64 {
  let v = load<u32>(idSlot(as));
  return v >> 12 == epoch ? keyOf(v & 0xfff) : 0;
}

// Run in `as` from now on.
export function tlbUse(as: u32): void {
  curAs = as;
  codeTag = 0;
  let key = keyFor(as);
  if (!key) {
    if (nextId == 4096) {
      tlbFlush();
      epoch = epoch + 1 < 0x100000 ? epoch + 1 : 1;
      nextId = 1;
    }
    store<u32>(idSlot(as), epoch << 12 | nextId);
    key = keyOf(nextId++);
  }
  tlbKey = key;
}

// `as` is gone: its id is never used again in this epoch, so its entries can
// never match, and its root frame may become another space's with a new id.
export function tlbForget(as: u32): void {
  store<u32>(idSlot(as), 0);
  if (as == curAs) curAs = 0;
}

export function tlbFlush(): void {
  memory.fill(TLB_READ_TAGS, 0, TLB_ENTRIES * 8);
  memory.fill(TLB_WRITE_TAGS, 0, TLB_ENTRIES * 8);
  memory.fill(TLB_EXEC_TAGS, 0, TLB_ENTRIES * 8);
  codeTag = 0;
}

// No space keeps a write entry (fork has just shared the tables below a root).
export function tlbDropAllWrites(): void {
  memory.fill(TLB_WRITE_TAGS, 0, TLB_ENTRIES * 8);
}

export function tlbSetCode(vpage: u64, host: usize): void {
  codeTag = vpage + 1;
  codeHost = host;
}

// The current space's tag for a page, and the slot of a tag.
@inline export function tlbTag(vpage: u64): u64 { return vpage ^ tlbKey; }
@inline export function tlbSlot(tag: u64): usize { return <usize>(tag & (TLB_ENTRIES - 1)); }

@inline function fill(tags: usize, hosts: usize, vpage: u64, host: usize): void {
  let t = tlbTag(vpage);
  let i = tlbSlot(t);
  store<u64>(tags + (i << 3), t);
  store<u32>(hosts + (i << 2), <u32>host);
}

export function tlbFillRead(vpage: u64, host: usize): void { fill(TLB_READ_TAGS, TLB_READ_HOST, vpage, host); }
export function tlbFillWrite(vpage: u64, host: usize): void { fill(TLB_WRITE_TAGS, TLB_WRITE_HOST, vpage, host); }
export function tlbFillExec(vpage: u64, host: usize): void { fill(TLB_EXEC_TAGS, TLB_EXEC_HOST, vpage, host); }

// The fetch part: the frame of a code page, or 0 when it has no entry.
export function tlbLookupExec(vpage: u64): usize {
  let t = tlbTag(vpage);
  let i = tlbSlot(t);
  return load<u64>(TLB_EXEC_TAGS + (i << 3)) == t ? <usize>load<u32>(TLB_EXEC_HOST + (i << 2)) : 0;
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

@inline function drop(tags: usize, t: u64): void {
  let p = tags + (tlbSlot(t) << 3);
  if (load<u64>(p) == t) store<u64>(p, 0);
}

// Forget one page of `as` (its frame or permissions changed).
export function tlbInvalidate(as: u32, vpage: u64): void {
  if (as == curAs && codeTag == vpage + 1) codeTag = 0;
  let key = as == curAs ? tlbKey : keyFor(as);
  if (!key) return;
  let t = vpage ^ key;
  drop(TLB_READ_TAGS, t);
  drop(TLB_WRITE_TAGS, t);
  drop(TLB_EXEC_TAGS, t);
}
