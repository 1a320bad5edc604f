// The one memory layout that the Wasm core and the TypeScript host both import.
// Integer constants only: it compiles as AssemblyScript and as TypeScript
// (host/core/wasm-types.d.ts declares u32, usize and friends as number).
//
// Linear memory:
//   [0, 4K)            null guard, never used
//   TLB                software TLB, separate read, write and fetch parts
//   FRAME_REFS         one u32 reference count per 4 KiB frame of linear memory
//   FRAME_GEN          one u32 per frame: generation of its decoded instructions
//   AS_TLB_ID          one u32 per frame: the TLB id of the space it is the root of
//   ICACHE             the decoded-instruction cache
//   CORE_DATA          AssemblyScript's own static data (asc --memoryBase)
//   frames             everything else: guest pages, page tables, CPU blocks

export const PAGE_SHIFT: u32 = 12;
export const PAGE_SIZE: u32 = 4096;
export const PAGE_MASK: u32 = 4095;

// Software TLB: direct-mapped, shared by all address spaces. A tag is
// vpage ^ the space's key, its slot the tag's low bits (assembly/tlb.ts);
// 0 means empty. The host word is the linear address of the page.
export const TLB_BITS: u32 = 10;
export const TLB_ENTRIES: u32 = 1024;
export const TLB_READ_TAGS: usize = 0x1000; // u64 x TLB_ENTRIES
export const TLB_READ_HOST: usize = TLB_READ_TAGS + TLB_ENTRIES * 8; // u32 x TLB_ENTRIES
export const TLB_WRITE_TAGS: usize = TLB_READ_HOST + TLB_ENTRIES * 4;
export const TLB_WRITE_HOST: usize = TLB_WRITE_TAGS + TLB_ENTRIES * 8;
export const TLB_EXEC_TAGS: usize = TLB_WRITE_HOST + TLB_ENTRIES * 4;
export const TLB_EXEC_HOST: usize = TLB_EXEC_TAGS + TLB_ENTRIES * 8;
export const TLB_END: usize = TLB_EXEC_HOST + TLB_ENTRIES * 4;

// Reference counts, indexed by absolute frame number (linear address >> 12).
// Wasm32 memory is at most 4 GiB, so at most 1M frames.
export const MAX_FRAMES: u32 = 1048576;
export const FRAME_REFS: usize = 0x10000;
export const FRAME_REFS_END: usize = FRAME_REFS + MAX_FRAMES * 4;

// Per frame: bit 0 set while the decoded-instruction cache may hold entries
// for the frame (it then has no write TLB entry), bits 31..1 a generation
// that every write to such a frame (and its freeing) bumps, so those entries
// stop matching. Indexed like FRAME_REFS.
export const FRAME_GEN: usize = FRAME_REFS_END;
export const FRAME_GEN_END: usize = FRAME_GEN + MAX_FRAMES * 4;

// Per frame that is the root table of an address space: its TLB id and the
// epoch it was given in (see assembly/tlb.ts), 0 for none. Indexed like FRAME_REFS.
export const AS_TLB_ID: usize = FRAME_GEN_END;
export const AS_TLB_ID_END: usize = AS_TLB_ID + MAX_FRAMES * 4;

// Decoded-instruction cache: ICACHE_REGIONS regions of one entry per byte
// offset of a 4 KiB code frame; a frame's entries are in the region its
// number hashes to (see assembly/icache.ts for the entry layout).
export const ICACHE_REGION_BITS: u32 = 5;
export const ICACHE_ENTRY_SHIFT: u32 = 5; // 32-byte entries
export const ICACHE: usize = AS_TLB_ID_END;
export const ICACHE_END: usize = ICACHE + (4096 << (ICACHE_REGION_BITS + ICACHE_ENTRY_SHIFT));

// Block compiler (assembly/jit.ts): requests for the host (a count, then
// JIT_QUEUE_MAX records {entry u32, tag u64, code u32, length u32, insns u32}
// of 24 bytes) and the Wasm modules they point to.
export const JIT_QUEUE: usize = ICACHE_END;
export const JIT_QUEUE_MAX: u32 = 32;
export const JIT_QUEUE_ITEM: u32 = 24;
export const JIT_CODE: usize = JIT_QUEUE + 4096;
export const JIT_CODE_SIZE: u32 = 0x10000;
export const JIT_END: usize = JIT_CODE + JIT_CODE_SIZE;

// asc places its static data here (asconfig.json memoryBase must equal this).
export const CORE_DATA: usize = JIT_END;

// Page-table entries are u32: frame address in bits 31..12, bits below.
// Interior entries use PTE_P only. A leaf with neither P nor LAZY is unmapped.
export const PTE_P: u32 = 0x001; // a frame is present
export const PTE_W: u32 = 0x002; // writable now (exclusive owner)
export const PTE_R: u32 = 0x004; // readable
export const PTE_X: u32 = 0x008; // executable
export const PTE_COW: u32 = 0x010; // logically writable, frame shared: copy on write
export const PTE_LAZY: u32 = 0x020; // mapped, no frame yet: zero-filled on first touch
export const PTE_SHARED: u32 = 0x040; // MAP_SHARED: fork shares the frame writable, never COW
export const PTE_PROT_MASK: u32 = PTE_R | PTE_X | PTE_W | PTE_COW;

// Protection bits as the host passes them to as_map/as_protect (Linux PROT_*).
export const PROT_READ: u32 = 1;
export const PROT_WRITE: u32 = 2;
export const PROT_EXEC: u32 = 4;
// forkbox's own bit for as_map: a MAP_SHARED mapping (frames allocated at once, shared across fork).
export const PROT_SHARED: u32 = 0x100;

// Page tables: 10 index bits a level, u32 entries, one 4 KiB frame a table.
// An address-space handle is the root table's linear address | level count:
// 2 levels cover 32-bit addresses, 4 levels cover 48-bit canonical ones.
export const AS_LEVELS_32: u32 = 2;
export const AS_LEVELS_64: u32 = 4;

// A task's CPU state block: one frame, allocated by cpu_new().
export const CPU_REGS: usize = 0; // 16 x u64, in x86 encoding order: ax cx dx bx sp bp si di r8..r15
export const CPU_RIP: usize = 128; // u64
export const CPU_FLAGS: usize = 136; // u32 eflags bits not covered by the lazy state
export const CPU_LAZY_OP: usize = 140; // u32 kind of the last flag-setting operation (LAZY_*)
export const CPU_LAZY_RES: usize = 144; // u64 its result
export const CPU_LAZY_A: usize = 152; // u64 its first operand
export const CPU_LAZY_B: usize = 160; // u64 its second operand
export const CPU_LAZY_SIZE: usize = 168; // u32 its operand size in bytes
export const CPU_MODE: usize = 172; // u32 code size: 32 or 64
export const CPU_FS_BASE: usize = 176; // u64
export const CPU_GS_BASE: usize = 184; // u64
export const CPU_SEGS: usize = 192; // 6 x u16 selectors: es cs ss ds fs gs
export const CPU_TLS: usize = 208; // 3 x 16 bytes: i386 GDT TLS entries {base u32, limit u32, flags u32, used u32}
export const CPU_TLS_FIRST: u32 = 12; // GDT index of the first TLS entry (GDT_ENTRY_TLS_MIN on i386)
export const CPU_AS: usize = 256; // u32 address-space handle
export const CPU_REASON: usize = 260; // u32 why run() returned (REASON_*)
export const CPU_FAULT_ADDR: usize = 264; // u64 faulting data address (REASON_PAGE_FAULT)
export const CPU_FAULT_CODE: usize = 272; // u32 x86 page-fault error code: 1 present, 2 write, 16 fetch; REASON_UD: UD_INVALID or 0
// REASON_UD detail: the encoding is one the architecture rejects (a LOCK prefix
// where none is allowed, ...), not one forkbox lacks; the kernel reports only the latter.
export const UD_INVALID: u32 = 1;
export const CPU_VECTOR: usize = 276; // u32 detail: interrupt number for int n
export const CPU_INSN_ADDR: usize = 280; // u64 address of the instruction that stopped run()
export const CPU_ICOUNT: usize = 288; // u64 instructions retired by this task
export const CPU_ZERO: usize = 296; // u64 always 0: "register" 37, the absent base or index of a cached address
export const CPU_FPU: usize = 512; // x87, SSE and MXCSR state: the 512-byte fxsave image below
export const CPU_SIZE: usize = 4096;

// The FPU/SSE state at CPU_FPU, in the fxsave (64-bit) format, so signal
// frames and fxsave/fxrstor copy it as is. ST(i) slots are in stack order
// (slot 0 is ST0); the abridged tag byte has one bit per physical register.
export const FX_FCW: usize = 0; // u16 control word
export const FX_FSW: usize = 2; // u16 status word (TOP in bits 13..11)
export const FX_FTW: usize = 4; // u8 abridged tag: bit i set = physical register i valid
export const FX_FOP: usize = 6; // u16 last opcode
export const FX_FIP: usize = 8; // u64 last instruction pointer
export const FX_FDP: usize = 16; // u64 last data pointer
export const FX_MXCSR: usize = 24; // u32
export const FX_MXCSR_MASK: usize = 28; // u32 writable MXCSR bits
export const FX_ST: usize = 32; // 8 x 16 bytes: 80-bit registers ST0..ST7
export const FX_XMM: usize = 160; // 16 x 16 bytes: XMM0..XMM15
export const FCW_INIT: u32 = 0x37f; // all exceptions masked, 64-bit precision, round to nearest
export const MXCSR_INIT: u32 = 0x1f80; // all exceptions masked, round to nearest
export const MXCSR_MASK: u32 = 0xffff; // FZ, RC, masks, DAZ, flags

// Why run() returned. The instruction pointer is after the instruction for
// SYSCALL/INT80/BREAKPOINT, at the instruction for faults.
export const REASON_BUDGET: u32 = 0; // slice used up
export const REASON_INT80: u32 = 1; // int 0x80
export const REASON_SYSCALL: u32 = 2; // syscall instruction
export const REASON_PAGE_FAULT: u32 = 3; // unresolvable page fault: CPU_FAULT_ADDR / CPU_FAULT_CODE
export const REASON_UD: u32 = 4; // invalid or unimplemented opcode
export const REASON_DE: u32 = 5; // divide error
export const REASON_BREAKPOINT: u32 = 6; // int3
export const REASON_GP: u32 = 7; // general protection (hlt, privileged, int n, non-canonical)
export const REASON_FPU: u32 = 8; // unmasked x87/SSE exception
