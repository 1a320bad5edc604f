// Structs as strace prints them (abbreviated the way strace does without -v).
// Layouts per ABI as in host/kernel/syscalls/structs.ts.
import type { GuestMemory } from "../../core/memory.js";
import { addr, buffer, quote } from "./values.js";
import { fileMode, flags, hex, STATX_MASK } from "./xlat.js";

function view(mem: GuestMemory, va: number, len: number): DataView | null {
  const b = mem.read(va, len);
  return b ? new DataView(b.buffer) : null;
}

const u64 = (dv: DataView, o: number) => Number(dv.getBigUint64(o, true));
const S_IFMT = 0o170000, S_IFCHR = 0o020000, S_IFBLK = 0o060000;

// makedev(0x88, 0x3): Linux's dev_t split into major and minor.
function makedev(dev: number): string {
  const d = BigInt(dev);
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return `makedev(${major ? hex(major) : "0"}, ${minor ? hex(minor) : "0"})`;
}

function statBody(mode: number, size: number, rdev: number): string {
  const t = mode & S_IFMT;
  const second = t === S_IFCHR || t === S_IFBLK ? `st_rdev=${makedev(rdev)}` : `st_size=${size}`;
  return `{st_mode=${fileMode(mode)}, ${second}, ...}`;
}

// struct stat (x86-64) or struct stat64 (i386).
export function stat(mem: GuestMemory, va: number, word: 4 | 8): string {
  const dv = view(mem, va, word === 8 ? 144 : 96);
  if (!dv) return addr(va);
  if (word === 8) return statBody(dv.getUint32(24, true), u64(dv, 48), u64(dv, 40));
  return statBody(dv.getUint32(16, true), u64(dv, 44), u64(dv, 32));
}

export function statx(mem: GuestMemory, va: number): string {
  const dv = view(mem, va, 256);
  if (!dv) return addr(va);
  const attrs = u64(dv, 8);
  return `{stx_mask=${flags(dv.getUint32(0, true), STATX_MASK)}, stx_attributes=${attrs ? hex(attrs) : 0}, ` +
    `stx_mode=${fileMode(dv.getUint16(28, true))}, stx_size=${u64(dv, 40)}, ...}`;
}

// timespec/timeval: two signed words (word 8 for the 64-bit-time variants).
export function timePair(mem: GuestMemory, va: number, word: 4 | 8, second: "tv_nsec" | "tv_usec"): string {
  if (!va) return "NULL";
  const dv = view(mem, va, word * 2);
  if (!dv) return addr(va);
  const w = (o: number) => (word === 4 ? dv.getInt32(o, true) : Number(dv.getBigInt64(o, true)));
  return `{tv_sec=${w(0)}, ${second}=${w(word)}}`;
}

// struct rlimit: RLIM_INFINITY by name, multiples of 1024 as N*1024.
export function rlimit(mem: GuestMemory, va: number, word: 4 | 8, infinity: string): string {
  if (!va) return "NULL";
  const dv = view(mem, va, word * 2);
  if (!dv) return addr(va);
  const lim = (o: number) => {
    const v = word === 4 ? BigInt(dv.getUint32(o, true)) : dv.getBigUint64(o, true);
    if (v === (word === 4 ? 0xffffffffn : 0xffffffffffffffffn)) return infinity;
    return v > 1024n && v % 1024n === 0n ? `${v / 1024n}*1024` : String(v);
  };
  return `{rlim_cur=${lim(0)}, rlim_max=${lim(word)}}`;
}

export function utsname(mem: GuestMemory, va: number): string {
  const b = mem.read(va, 65 * 2);
  if (!b) return addr(va);
  const field = (i: number) => {
    const f = b.subarray(i * 65, i * 65 + 65);
    const z = f.indexOf(0);
    return quote(f.subarray(0, z < 0 ? 64 : z));
  };
  return `{sysname=${field(0)}, nodename=${field(1)}, ...}`;
}

// i386 struct user_desc (set_thread_area, clone's tls).
export function userDesc(mem: GuestMemory, va: number): string {
  const dv = view(mem, va, 16);
  if (!dv) return addr(va);
  const f = dv.getUint32(12, true);
  const limit = `0x${dv.getUint32(8, true).toString(16).padStart(6, "0")}`;
  return `{entry_number=${dv.getInt32(0, true)}, base_addr=${hex(dv.getUint32(4, true))}, limit=${limit}, ` +
    `seg_32bit=${f & 1}, contents=${(f >> 1) & 3}, read_exec_only=${(f >> 3) & 1}, limit_in_pages=${(f >> 4) & 1}, ` +
    `seg_not_present=${(f >> 5) & 1}, useable=${(f >> 6) & 1}}`;
}

export const userDescEntry = (mem: GuestMemory, va: number): number | null => view(mem, va, 4)?.getInt32(0, true) ?? null;

// An iovec array: [{iov_base="...", iov_len=5}, ...]; `limit` caps the bytes shown (readv: the result).
export function iovec(mem: GuestMemory, va: number, count: number, word: 4 | 8, limit: number): string {
  if (count < 0 || count > 1024) return addr(va);
  const dv = view(mem, va, count * word * 2);
  if (!dv) return addr(va);
  const w = (o: number) => (word === 4 ? dv.getUint32(o, true) : u64(dv, o));
  const items: string[] = [];
  let left = limit;
  for (let i = 0; i < count; i++) {
    if (i === 32) { items.push("..."); break; }
    const base = w(i * word * 2), len = w(i * word * 2 + word);
    const n = Math.min(len, Math.max(left, 0));
    left -= n;
    items.push(`{iov_base=${buffer(mem, base, n)}, iov_len=${len}}`);
  }
  return `[${items.join(", ")}]`;
}
