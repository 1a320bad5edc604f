// The two Linux ABIs forkbox runs: where syscall arguments live, word size,
// and the address-space layout the kernel gives a new image.
export interface Abi {
  name: "i386" | "x86_64";
  word: 4 | 8;
  mode: 32 | 64; // the core's CPU_MODE
  levels: 2 | 4; // page-table levels
  argRegs: readonly number[]; // registers of syscall arguments 1..6
  stackTop: number; // first byte above the initial stack
  mmapTop: number; // mmap without a hint allocates downwards from here
  platform: string; // AT_PLATFORM
  selectors: { cs: number; ss: number; ds: number };
}

const EAX = 0, ECX = 1, EDX = 2, EBX = 3, EBP = 5, ESI = 6, EDI = 7, R8 = 8, R9 = 9, R10 = 10;

export const I386: Abi = {
  name: "i386", word: 4, mode: 32, levels: 2,
  argRegs: [EBX, ECX, EDX, ESI, EDI, EBP],
  stackTop: 0xfffdf000, mmapTop: 0xf7fff000, platform: "i686",
  selectors: { cs: 0x23, ss: 0x2b, ds: 0x2b },
};

export const X86_64: Abi = {
  name: "x86_64", word: 8, mode: 64, levels: 4,
  argRegs: [EDI, ESI, EDX, R10, R8, R9],
  stackTop: 0x7ffffffff000, mmapTop: 0x7ffff7fff000, platform: "x86_64",
  selectors: { cs: 0x33, ss: 0x2b, ds: 0 },
};

export const RESULT_REG = EAX;
export const STACK_LIMIT = 8 * 1024 * 1024; // RLIMIT_STACK default: the stack is mapped this deep
