// Physical frames: 4 KiB slices of linear memory with a reference count each.
// Free frames form a linked list threaded through their first word.
import { FRAME_REFS, PAGE_SHIFT, PAGE_SIZE } from "./layout";

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
    store<u32>(addr, freeHead);
    freeHead = <u32>(addr >> PAGE_SHIFT);
    framesUsed--;
  }
}
