// cpuid, rdtsc, rdtscp, rdpid. CPUID advertises exactly what the core
// implements, since libcs pick their string and math routines from it, and
// describes a plausible cache hierarchy (32K L1d/L1i, 1M L2, 16M L3, 64-byte
// lines) the way an Intel CPU does: leaf 2 says "see leaf 4", leaf 4 lists
// the caches, 0x80000006 repeats the L2.
import { REASON_UD } from "./layout";
import { fault, rget32, rset32, rset64 } from "./cpu";
import { fetch8 } from "./decode";
import { retiredTotal } from "./counters";

const RAX: u32 = 0, RCX: u32 = 1, RDX: u32 = 2, RBX: u32 = 3;

const MAX_BASIC: u32 = 7;
const MAX_EXTENDED: u32 = 0x80000008;

// Leaf 1 EDX: FPU (0), TSC (4), CX8 (8), CMOV (15), MMX (23), FXSR (24), SSE (25),
// SSE2 (26). glibc's ld.so refuses x86-64 libraries on a CPU without MMX.
const FEATURES_EDX: u32 = 1 | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);
// Leaf 1 ECX: SSE3 (0), SSSE3 (9), CMPXCHG16B (13), SSE4.1 (19), SSE4.2 (20),
// POPCNT (23). No PCLMULQDQ, MOVBE, AES, XSAVE/OSXSAVE or AVX.
const FEATURES_ECX: u32 = 1 | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 20) | (1 << 23);
// Leaf 7 subleaf 0: EBX BMI1 (3), BMI2 (8); ECX RDPID (22). No AVX2, ERMS...
const LEAF7_EBX: u32 = (1 << 3) | (1 << 8);
const LEAF7_ECX: u32 = 1 << 22;
// 0x80000001 ECX: LAHF/SAHF in 64-bit mode (0), ABM/lzcnt (5);
// EDX: SYSCALL (11), RDTSCP (27), long mode (29).
const EXT_ECX: u32 = 1 | (1 << 5);
const EXT_EDX: u32 = (1 << 11) | (1 << 27) | (1 << 29);

// Leaf 4 subleaves, 4 words each (EAX EBX ECX EDX), then type 0 (no more).
// EAX: type (1 data, 2 instruction, 3 unified) | level << 5 | self-initialising.
// EBX: (ways-1) << 22 | (partitions-1) << 12 | (line-1); ECX: sets-1.
// Size = ways * partitions * line * sets.
const CACHES: usize = memory.data<u32>([
  0x121, (7 << 22) | 63, 63, 0, // L1d: 8 ways * 64 sets * 64 = 32K
  0x122, (7 << 22) | 63, 63, 0, // L1i: 32K
  0x143, (15 << 22) | 63, 1023, 0, // L2: 16 ways * 1024 sets * 64 = 1M
  0x163, (15 << 22) | 63, 16383, 0, // L3: 16 ways * 16384 sets * 64 = 16M
]);
const NCACHES: u32 = 4;

// "forkbox virtual CPU", NUL-padded to the 48 bytes of 0x80000002..4.
const BRAND: usize = memory.data<u8>([
  0x66, 0x6f, 0x72, 0x6b, 0x62, 0x6f, 0x78, 0x20, 0x76, 0x69, 0x72, 0x74, 0x75, 0x61, 0x6c, 0x20,
  0x43, 0x50, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

// TSC_AUX as Linux sets it: cpu number | node << 12, both 0 here.
const TSC_AUX: u32 = 0;

export function cpuid(): void {
  let leaf = rget32(RAX), sub = rget32(RCX);
  // Beyond either range: the highest basic leaf, as Intel CPUs answer.
  if (leaf > MAX_EXTENDED || (leaf > MAX_BASIC && leaf < 0x80000000)) { leaf = MAX_BASIC; sub = 0; }
  let a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0;
  switch (leaf) {
    case 0: a = MAX_BASIC; b = 0x756e6547; d = 0x49656e69; c = 0x6c65746e; break; // "GenuineIntel"
    case 1:
      a = 0x000006f1; // family 6, model 15, stepping 1
      b = 0x00010800; // one logical processor, clflush line 8*8 bytes
      c = FEATURES_ECX; d = FEATURES_EDX;
      break;
    case 2: a = 0x00feff01; b = 0xf0; break; // one round; ff: leaf 4 has the caches; f0: 64-byte prefetch
    case 4:
      if (sub < NCACHES) {
        let p = CACHES + (<usize>sub << 4);
        a = load<u32>(p); b = load<u32>(p, 4); c = load<u32>(p, 8); d = load<u32>(p, 12);
      }
      break;
    case 7: if (sub == 0) { b = LEAF7_EBX; c = LEAF7_ECX; } break;
    case 0x80000000: a = MAX_EXTENDED; break;
    case 0x80000001: c = EXT_ECX; d = EXT_EDX; break;
    case 0x80000002: case 0x80000003: case 0x80000004: {
      let p = BRAND + (<usize>(leaf - 0x80000002) << 4);
      a = load<u32>(p); b = load<u32>(p, 4); c = load<u32>(p, 8); d = load<u32>(p, 12);
      break;
    }
    case 0x80000006: c = (1024 << 16) | (8 << 12) | 64; break; // L2: 1024K, 16-way (encoding 8), 64-byte lines
    case 0x80000008: a = (48 << 8) | 39; break; // 48-bit linear, 39-bit physical addresses
    // 3, 5, 6, 0x80000005 (reserved on Intel), 0x80000007: nothing to report.
  }
  rset32(RAX, a); rset32(RBX, b); rset32(RCX, c); rset32(RDX, d);
}

// A time-stamp counter that is monotonic and reproducible: instructions retired.
export function rdtsc(): void {
  let t = retiredTotal();
  rset32(RAX, <u32>t);
  rset32(RDX, <u32>(t >> 32));
}

// 0f 01: of group 7 only rdtscp (f9) is for user mode here.
export function group7(): void {
  if (fetch8() != 0xf9) { fault(REASON_UD); return; }
  rdtsc();
  rset32(RCX, TSC_AUX);
}

// rdpid (f3 0f c7 /7): TSC_AUX into a register (64 bits wide in long mode).
export function rdpid(r: u32): void { rset64(r, <u64>TSC_AUX); }
