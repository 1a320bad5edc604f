// Physical frames: 4 KiB slices of linear memory with a reference count each.
// Free frames form a linked list threaded through their first word.
import { FRAME_GEN, FRAME_REFS, ICACHE, ICACHE_END, PAGE_SHIFT, PAGE_SIZE } from "./layout";
import { tlbCodeWritten, tlbDropWrites } from "./tlb";

let nextFrame: u32 = 0; // first frame number never handed out
let freeHead: u32 = 0; // first free frame number, 0 = none
export let framesUsed: u32 = 0;
export let framesPeak: u32 = 0;

export function framesInit(): void {
  nextFrame = (<u32>__heap_base + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

// A frame's linear address with refcount 1, contents undefined; 0 when memory is exhausted.
export function frameAlloc(): usize {
  let f = freeHead;
  if (f) {
    freeHead = load<u32>(<usize>f << PAGE_SHIFT);
  } else {
    f = nextFrame;
    let needPages = ((<u64>(f + 1) << PAGE_SHIFT) + 0xffff) >> 16;
    let havePages = <u64>memory.size();
    if (needPages > havePages) {
      // Grow in 16 MiB steps so growth (which detaches the host's views) stays rare.
      let want = max<u64>(needPages - havePages, 256);
      if (memory.grow(<i32>want) < 0 && memory.grow(<i32>(needPages - havePages)) < 0) return 0;
    }
    nextFrame = f + 1;
  }
  store<u32>(FRAME_REFS + (<usize>f << 2), 1);
  framesUsed++;
  if (framesUsed > framesPeak) framesPeak = framesUsed;
  return <usize>f << PAGE_SHIFT;
}

export function frameAllocZero(): usize {
  let a = frameAlloc();
  if (a) memory.fill(a, 0, PAGE_SIZE);
  return a;
}

@inline export function frameRefs(addr: usize): u32 {
  return load<u32>(FRAME_REFS + ((addr >> PAGE_SHIFT) << 2));
}

@inline export function frameRef(addr: usize): void {
  let p = FRAME_REFS + ((addr >> PAGE_SHIFT) << 2);
  store<u32>(p, load<u32>(p) + 1);
}

export function frameUnref(addr: usize): void {
  let p = FRAME_REFS + ((addr >> PAGE_SHIFT) << 2);
  let n = load<u32>(p) - 1;
  store<u32>(p, n);
  if (n == 0) {
    frameWritten(addr); // a later owner's bytes are not this code
    store<u32>(addr, freeHead);
    freeHead = <u32>(addr >> PAGE_SHIFT);
    framesUsed--;
  }
}

// ---- decoded code in a frame (FRAME_GEN) -------------------------------------

@inline function genAddr(addr: usize): usize { return FRAME_GEN + ((addr >> PAGE_SHIFT) << 2); }

// The generation that keys the frame's decoded instructions.
@inline export function frameGen(addr: usize): u32 { return load<u32>(genAddr(addr)) >> 1; }

// The decoded-instruction cache is about to hold entries for the frame: from
// now on every write to it must come through frameWritten, so writes through
// the TLB are turned back to the slow path.
export function frameMarkCode(addr: usize): void {
  let p = genAddr(addr);
  let g = load<u32>(p);
  if (g & 1) return;
  store<u32>(p, g | 1);
  tlbDropWrites(addr);
}

// The frame's contents are about to change (a guest or kernel write, or the
// frame is freed): its decoded instructions no longer count.
export function frameWritten(addr: usize): void {
  let p = genAddr(addr);
  let g = load<u32>(p);
  if (!(g & 1)) return;
  store<u32>(p, g + 1); // clears bit 0 and steps the generation
  if (g + 1 == 0) memory.fill(ICACHE, 0, ICACHE_END - ICACHE); // generations wrapped: forget everything
  tlbCodeWritten(addr);
}
