// Guest memory as the kernel sees it: copies between host and guest that walk
// the page tables in JavaScript (one Wasm call per copy at most, never one per
// page) and report a bad address as null/false, which syscalls turn into EFAULT.
import { PAGE_SIZE, PTE_LAZY, PTE_P, PTE_R } from "../../assembly/layout.js";
import type { Core } from "./core.js";

const TEXT = new TextDecoder("utf-8", { fatal: false });

export class GuestMemory {
  users = 1; // processes sharing this address space (vfork, CLONE_VM); freed when the last lets go

  constructor(private core: Core, public as: number) {}

  // Leaf entry for va, 0 if unmapped.
  private pte(va: number): number {
    const dv = this.core.dv;
    const levels = this.as & 0xfff;
    let table = this.as - levels;
    let div = levels === 2 ? 2 ** 22 : 2 ** 42;
    for (let l = levels; l > 1; l--) {
      const e = dv.getUint32(table + (Math.floor(va / div) % 1024) * 4, true);
      if (!(e & PTE_P)) return 0;
      table = e - (e & 0xfff);
      div /= 1024;
    }
    return dv.getUint32(table + (Math.floor(va / PAGE_SIZE) % 1024) * 4, true);
  }

  private maxAddr(): number { return (this.as & 0xfff) === 2 ? 2 ** 32 : 2 ** 47; }

  // Where [va, va+len) lives in core memory when it sits in one present,
  // readable page, else -1 (the general paths then handle it): small reads
  // of syscall arguments take this path without allocating.
  private direct(va: number, len: number): number {
    const off = va % PAGE_SIZE;
    if (va < 0 || off > PAGE_SIZE - len || va + len > this.maxAddr()) return -1;
    const e = this.pte(va);
    return (e & PTE_P) && (e & PTE_R) ? e - (e & 0xfff) + off : -1;
  }

  // Whether read() of [va, va+len) would succeed, without copying.
  readable(va: number, len: number): boolean {
    if (va < 0 || va + len > this.maxAddr()) return false;
    for (let a = va - (va % PAGE_SIZE); a < va + len; a += PAGE_SIZE) {
      const e = this.pte(a);
      if (!(e & PTE_R) || !(e & (PTE_P | PTE_LAZY))) return false;
    }
    return true;
  }

  // Bytes at [va, va+len) or null; lazy pages read as zeros.
  read(va: number, len: number): Uint8Array | null {
    if (len === 0) return new Uint8Array(0);
    if (va < 0 || va + len > this.maxAddr()) return null;
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = va + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off);
      const e = this.pte(a);
      if (!(e & PTE_R)) return null;
      if (e & PTE_P) out.set(this.core.u8.subarray(e - (e & 0xfff) + off, e - (e & 0xfff) + off + n), done);
      else if (!(e & PTE_LAZY)) return null;
      done += n;
    }
    return out;
  }

  // Write bytes to [va, ...): faults pages in and breaks copy-on-write first.
  write(va: number, data: Uint8Array): boolean {
    if (data.length === 0) return true;
    if (va < 0 || va + data.length > this.maxAddr()) return false;
    if (this.core.x.addressSpaceEnsure(this.as, va, data.length, 1) !== 0) return false;
    let done = 0;
    const u8 = this.core.u8;
    while (done < data.length) {
      const a = va + done;
      const off = a % PAGE_SIZE;
      const n = Math.min(data.length - done, PAGE_SIZE - off);
      const e = this.pte(a);
      u8.set(data.subarray(done, done + n), e - (e & 0xfff) + off);
      done += n;
    }
    return true;
  }

  // A NUL-terminated string of at most max bytes (without the NUL), or null
  // when it runs into a bad address or is longer than max.
  cstringBytes(va: number, max: number): Uint8Array | null {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let a = va;
    while (total <= max) {
      const n = PAGE_SIZE - (a % PAGE_SIZE);
      const page = this.read(a, n);
      if (!page) return null;
      const z = page.indexOf(0);
      if (z >= 0) {
        chunks.push(page.subarray(0, z));
        total += z;
        break;
      }
      chunks.push(page);
      total += n;
      a += n;
    }
    if (total > max) return null;
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.length; }
    return out;
  }

  cstring(va: number, max = 4096): string | null {
    const b = this.cstringBytes(va, max);
    return b ? TEXT.decode(b) : null;
  }

  u32(va: number): number | null {
    const at = this.direct(va, 4);
    if (at >= 0) return this.core.dv.getUint32(at, true);
    const b = this.read(va, 4);
    return b ? new DataView(b.buffer).getUint32(0, true) : null;
  }

  // A pointer-sized word (4 or 8 bytes).
  word(va: number, size: number): number | null {
    const at = this.direct(va, size);
    if (at >= 0) {
      const dv = this.core.dv;
      return size === 4 ? dv.getUint32(at, true) : dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 2 ** 32;
    }
    const b = this.read(va, size);
    if (!b) return null;
    const dv = new DataView(b.buffer);
    return size === 4 ? dv.getUint32(0, true) : dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
  }

  // A 64-bit value as a bigint (signal sets).
  u64(va: number): bigint | null {
    const at = this.direct(va, 8);
    if (at >= 0) return this.core.dv.getBigUint64(at, true);
    const b = this.read(va, 8);
    return b ? new DataView(b.buffer).getBigUint64(0, true) : null;
  }

  writeU32(va: number, v: number): boolean {
    const at = this.writable(va, 4);
    if (at >= 0) { this.core.dv.setUint32(at, v >>> 0, true); return true; }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.write(va, b);
  }

  // The low size bytes of a 64-bit value (signal sets).
  writeU64(va: number, v: bigint, size = 8): boolean {
    const at = this.writable(va, size);
    if (at >= 0 && size === 8) { this.core.dv.setBigUint64(at, v, true); return true; }
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    return this.write(va, b.subarray(0, size));
  }

  // direct() for a store: the page is faulted in and copy-on-write broken first.
  private writable(va: number, len: number): number {
    const off = va % PAGE_SIZE;
    if (va < 0 || off > PAGE_SIZE - len || va + len > this.maxAddr()) return -1;
    if (this.core.x.addressSpaceEnsure(this.as, va, len, 1) !== 0) return -1;
    return this.direct(va, len);
  }

}
