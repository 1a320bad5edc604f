// Thread-local storage: i386 set_thread_area/get_thread_area (GDT TLS slots
// 12-14 in the CPU block) and x86-64 arch_prctl (FS/GS bases).
import { CPU_FS_BASE, CPU_GS_BASE, CPU_SEGS, CPU_TLS, CPU_TLS_FIRST } from "../../../assembly/layout.js";
import type { Core } from "../../core/core.js";
import { EFAULT, EINVAL, EPERM, ESRCH } from "../errno.js";
import type { Ctx, SysResult } from "./types.js";

export interface UserDesc { entry: number; base: number; limit: number; flags: number; }

const SLOTS = 3;
const FLAG_NOT_PRESENT = 0x20, FLAG_READ_EXEC_ONLY = 0x8;

export function readUserDesc(c: Ctx, ptr: number): UserDesc | number {
  const b = c.mem.read(ptr, 16);
  if (!b) return -EFAULT;
  const dv = new DataView(b.buffer);
  return { entry: dv.getInt32(0, true), base: dv.getUint32(4, true), limit: dv.getUint32(8, true), flags: dv.getUint32(12, true) };
}

// Store the descriptor in its slot and reload FS/GS if they use it.
export function installTls(core: Core, cpu: number, d: UserDesc): void {
  const slot = cpu + CPU_TLS + (d.entry - CPU_TLS_FIRST) * 16;
  const empty = d.base === 0 && d.limit === 0 && (d.flags & (FLAG_NOT_PRESENT | FLAG_READ_EXEC_ONLY)) === (FLAG_NOT_PRESENT | FLAG_READ_EXEC_ONLY);
  core.setU32(slot, d.base);
  core.setU32(slot + 4, d.limit);
  core.setU32(slot + 8, d.flags);
  core.setU32(slot + 12, empty ? 0 : 1);
  const sel = (d.entry << 3) | 3;
  if (core.dv.getUint16(cpu + CPU_SEGS + 8, true) === sel) core.setU64(cpu + CPU_FS_BASE, d.base);
  if (core.dv.getUint16(cpu + CPU_SEGS + 10, true) === sel) core.setU64(cpu + CPU_GS_BASE, d.base);
}

export function setThreadArea(c: Ctx, ptr: number): SysResult {
  const d = readUserDesc(c, ptr);
  if (typeof d === "number") return d;
  const core = c.k.core;
  if (d.entry === -1) {
    let i = 0;
    while (i < SLOTS && core.u32(c.p.cpu + CPU_TLS + i * 16 + 12)) i++;
    if (i === SLOTS) return -ESRCH;
    d.entry = CPU_TLS_FIRST + i;
    if (!c.mem.writeU32(ptr, d.entry)) return -EFAULT;
  }
  if (d.entry < CPU_TLS_FIRST || d.entry >= CPU_TLS_FIRST + SLOTS) return -EINVAL;
  installTls(core, c.p.cpu, d);
  return 0;
}

export function getThreadArea(c: Ctx, ptr: number): SysResult {
  const d = readUserDesc(c, ptr);
  if (typeof d === "number") return d;
  if (d.entry < CPU_TLS_FIRST || d.entry >= CPU_TLS_FIRST + SLOTS) return -EINVAL;
  const core = c.k.core;
  const slot = c.p.cpu + CPU_TLS + (d.entry - CPU_TLS_FIRST) * 16;
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, d.entry, true);
  dv.setUint32(4, core.u32(slot), true);
  dv.setUint32(8, core.u32(slot + 4), true);
  dv.setUint32(12, core.u32(slot + 12) ? core.u32(slot + 8) : FLAG_NOT_PRESENT | FLAG_READ_EXEC_ONLY, true);
  return c.mem.write(ptr, out) ? 0 : -EFAULT;
}

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

export function archPrctl(c: Ctx, code: number, addr: number): SysResult {
  const core = c.k.core;
  const cpu = c.p.cpu;
  switch (code) {
    case ARCH_SET_FS: case ARCH_SET_GS:
      if (addr >= 2 ** 47) return -EPERM;
      core.setU64(cpu + (code === ARCH_SET_FS ? CPU_FS_BASE : CPU_GS_BASE), addr);
      return 0;
    case ARCH_GET_FS: case ARCH_GET_GS: {
      const v = core.u64(cpu + (code === ARCH_GET_FS ? CPU_FS_BASE : CPU_GS_BASE));
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
      return c.mem.write(addr, b) ? 0 : -EFAULT;
    }
    default:
      return -EINVAL;
  }
}
