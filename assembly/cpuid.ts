// cpuid and rdtsc. CPUID advertises exactly what the core implements, since
// libcs pick their string and math routines from it.
import { rget32, rset32 } from "./cpu";
import { retiredTotal } from "./counters";

const RAX: u32 = 0, RCX: u32 = 1, RDX: u32 = 2, RBX: u32 = 3;

// Leaf 1 EDX: FPU (0), TSC (4), CX8 (8), CMOV (15), MMX (23), FXSR (24), SSE (25),
// SSE2 (26). glibc's ld.so refuses x86-64 libraries on a CPU without MMX.
const FEATURES_EDX: u32 = 1 | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);
// Leaf 1 ECX: SSE3 (0), CMPXCHG16B (13), POPCNT (23). No SSSE3/SSE4, no XSAVE/OSXSAVE/AVX.
const FEATURES_ECX: u32 = 1 | (1 << 13) | (1 << 23);

export function cpuid(): void {
  let leaf = rget32(RAX);
  let a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0;
  if (leaf == 0) {
    a = 1;
    b = 0x756e6547; d = 0x49656e69; c = 0x6c65746e; // "GenuineIntel"
  } else if (leaf == 1) {
    a = 0x000006f1; // family 6, model 15, stepping 1
    b = 0x00010800; // one logical processor, clflush line 8*8 bytes
    d = FEATURES_EDX;
    c = FEATURES_ECX;
  } else if (leaf == 0x80000000) {
    a = 0x80000001;
  } else if (leaf == 0x80000001) {
    c = 1 | (1 << 5); // LAHF/SAHF in 64-bit mode, ABM (lzcnt)
    d = (1 << 11) | (1 << 29); // SYSCALL, long mode
  }
  rset32(RAX, a); rset32(RBX, b); rset32(RCX, c); rset32(RDX, d);
}

// A time-stamp counter that is monotonic and reproducible: instructions retired.
export function rdtsc(): void {
  let t = retiredTotal();
  rset32(RAX, <u32>t);
  rset32(RDX, <u32>(t >> 32));
}
