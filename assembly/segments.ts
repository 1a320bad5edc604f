// Segment registers in a flat user-mode world. Only FS and GS have bases:
// i386 programs point GS (or FS) at a TLS entry made by set_thread_area.
import { CPU_FS_BASE, CPU_GS_BASE, CPU_SEGS, CPU_TLS, CPU_TLS_FIRST, REASON_GP } from "./layout";
import { cpu, fault, mode64 } from "./cpu";

const FS: u32 = 4, GS: u32 = 5;

export function storeSegment(idx: u32): u32 {
  return <u32>load<u16>(cpu + CPU_SEGS + (<usize>idx << 1));
}

// mov Sreg / pop Sreg. CS cannot be loaded this way; a selector that names
// no usable descriptor raises #GP as on Linux.
export function loadSegment(idx: u32, sel: u32): void {
  sel &= 0xffff;
  if (idx == 1 || idx > 5) { fault(REASON_GP); return; }
  if (idx == FS || idx == GS) {
    let base: u64 = 0;
    let index = sel >> 3;
    if (sel > 3) {
      if ((sel & 4) || index < CPU_TLS_FIRST || index >= CPU_TLS_FIRST + 3) {
        // Not a TLS slot: only the flat user selectors are valid.
        if (sel != 0x2b && sel != 0x23 && sel != 0x33) { fault(REASON_GP); return; }
      } else {
        let e = cpu + CPU_TLS + (<usize>(index - CPU_TLS_FIRST) << 4);
        if (!load<u32>(e, 12)) { fault(REASON_GP); return; }
        base = <u64>load<u32>(e);
      }
    } else if (mode64) {
      base = load<u64>(cpu + (idx == FS ? CPU_FS_BASE : CPU_GS_BASE)); // a null selector keeps the base
    }
    store<u64>(cpu + (idx == FS ? CPU_FS_BASE : CPU_GS_BASE), base);
  } else if (sel > 3 && sel != 0x2b && sel != 0x23 && sel != 0x33) {
    fault(REASON_GP); return;
  }
  store<u16>(cpu + CPU_SEGS + (<usize>idx << 1), <u16>sel);
}
