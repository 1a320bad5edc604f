// Struct layouts that differ between the ABIs (see the UAPI headers
// asm/stat.h, linux/stat.h, linux/time_types.h, asm/posix_types.h).
import type { HostStat, HostSystem } from "../../platform/platform.js";

class Writer {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.dv = new DataView(this.buf.buffer);
  }
  u16(o: number, v: number): void { this.dv.setUint16(o, v, true); }
  u32(o: number, v: number): void { this.dv.setUint32(o, v >>> 0, true); }
  u64(o: number, v: number): void { this.dv.setBigUint64(o, BigInt.asUintN(64, BigInt(Math.trunc(v))), true); }
  word(o: number, v: number, w: number): void { if (w === 4) this.u32(o, v); else this.u64(o, v); }
}

const sec = (ms: number) => Math.floor(ms / 1000);
const nsec = (ms: number) => Math.round((ms - Math.floor(ms / 1000) * 1000) * 1e6) % 1e9;

// struct stat on x86-64 (144 bytes) or struct stat64 on i386 (96 bytes).
export function encodeStat(s: HostStat, word: 4 | 8): Uint8Array {
  if (word === 8) {
    const w = new Writer(144);
    w.u64(0, s.dev); w.u64(8, s.ino); w.u64(16, s.nlink); w.u32(24, s.mode); w.u32(28, s.uid); w.u32(32, s.gid);
    w.u64(40, s.rdev); w.u64(48, s.size); w.u64(56, s.blksize); w.u64(64, s.blocks);
    w.u64(72, sec(s.atimeMs)); w.u64(80, nsec(s.atimeMs)); w.u64(88, sec(s.mtimeMs)); w.u64(96, nsec(s.mtimeMs));
    w.u64(104, sec(s.ctimeMs)); w.u64(112, nsec(s.ctimeMs));
    return w.buf;
  }
  const w = new Writer(96);
  w.u64(0, s.dev); w.u32(12, s.ino); w.u32(16, s.mode); w.u32(20, s.nlink); w.u32(24, s.uid); w.u32(28, s.gid);
  w.u64(32, s.rdev); w.u64(44, s.size); w.u32(52, s.blksize); w.u64(56, s.blocks);
  w.u32(64, sec(s.atimeMs)); w.u32(68, nsec(s.atimeMs)); w.u32(72, sec(s.mtimeMs)); w.u32(76, nsec(s.mtimeMs));
  w.u32(80, sec(s.ctimeMs)); w.u32(84, nsec(s.ctimeMs)); w.u64(88, s.ino);
  return w.buf;
}

// struct statfs (x86-64, 120 bytes), compat statfs (i386 statfs, 64 bytes) or
// statfs64 (i386, 84 bytes, packed). Every forkbox file system reports itself
// as tmpfs (the guest's changes live in memory) with no block counts.
export const STATFS64_SIZE = 84;
const TMPFS_MAGIC = 0x01021994, NAME_MAX = 255, ST_VALID = 0x20;
export function encodeStatfs(word: 4 | 8, is64 = false): Uint8Array {
  if (word === 8) {
    const w = new Writer(120);
    w.u64(0, TMPFS_MAGIC); w.u64(8, 4096); w.u64(88, NAME_MAX); w.u64(96, 4096); w.u64(104, ST_VALID);
    return w.buf;
  }
  if (is64) {
    const w = new Writer(STATFS64_SIZE);
    w.u32(0, TMPFS_MAGIC); w.u32(4, 4096); w.u32(56, NAME_MAX); w.u32(60, 4096); w.u32(64, ST_VALID);
    return w.buf;
  }
  const w = new Writer(64);
  w.u32(0, TMPFS_MAGIC); w.u32(4, 4096); w.u32(36, NAME_MAX); w.u32(40, 4096); w.u32(44, ST_VALID);
  return w.buf;
}

const STATX_BASIC_STATS = 0x7ff, STATX_MNT_ID = 0x1000;
// Every file forkbox shows lives on its one mount; Linux (5.8+) always reports a mount id.
const MOUNT_ID = 1;

// struct statx (256 bytes, the same on both ABIs).
export function encodeStatx(s: HostStat): Uint8Array {
  const w = new Writer(256);
  const major = (d: number) => Number((BigInt(d) >> 8n) & 0xfffn) | Number((BigInt(d) >> 32n) & ~0xfffn);
  const minor = (d: number) => (d & 0xff) | Number((BigInt(d) >> 12n) & ~0xffn);
  w.u32(0, STATX_BASIC_STATS | STATX_MNT_ID); w.u32(4, s.blksize); w.u32(16, s.nlink); w.u32(20, s.uid); w.u32(24, s.gid);
  w.u16(28, s.mode); w.u64(32, s.ino); w.u64(40, s.size); w.u64(48, s.blocks);
  const ts = (o: number, ms: number) => { w.u64(o, sec(ms)); w.u32(o + 8, nsec(ms)); };
  ts(64, s.atimeMs); ts(80, s.ctimeMs); ts(96, s.ctimeMs); ts(112, s.mtimeMs);
  w.u32(128, major(s.rdev)); w.u32(132, minor(s.rdev)); w.u32(136, major(s.dev)); w.u32(140, minor(s.dev));
  w.u64(144, MOUNT_ID);
  return w.buf;
}

// struct timespec / timeval: two words (i386 ABI: 32-bit; *64 variants pass word 8).
export function encodeTimePair(a: number, b: number, word: 4 | 8): Uint8Array {
  const w = new Writer(word * 2);
  w.word(0, a, word);
  w.word(word, b, word);
  return w.buf;
}

export function decodeTimePair(b: Uint8Array, word: 4 | 8): [number, number] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (word === 4) return [dv.getInt32(0, true), dv.getInt32(4, true)];
  return [Number(dv.getBigInt64(0, true)), Number(dv.getBigInt64(8, true))];
}

// struct rlimit with words of the ABI (RLIM_INFINITY = all ones).
export function encodeRlimit(cur: number, max: number, word: 4 | 8): Uint8Array {
  const w = new Writer(word * 2);
  const inf = (v: number) => (v === Infinity ? -1 : v);
  w.word(0, inf(cur), word);
  w.word(word, inf(max), word);
  return w.buf;
}

export const FORKBOX_SYSTEM: HostSystem = { nodename: "forkbox", release: "6.1.0-forkbox", version: "#1 SMP PREEMPT_DYNAMIC forkbox" };

export function utsname(sys: HostSystem, machine: string): Uint8Array {
  const fields = ["Linux", sys.nodename, sys.release, sys.version, machine, "(none)"];
  const buf = new Uint8Array(65 * 6);
  const enc = new TextEncoder();
  fields.forEach((f, i) => buf.set(enc.encode(f).subarray(0, 64), i * 65));
  return buf;
}

// struct rusage: ru_utime and ru_stime (timevals), then 14 longs of which forkbox
// knows the context switches (ru_nvcsw, ru_nivcsw). CPU time is user time.
export function encodeRusage(cpuNs: number, nvcsw: number, nivcsw: number, word: 4 | 8): Uint8Array {
  const w = new Writer(word * 18);
  const s = Math.floor(cpuNs / 1e9);
  w.word(0, s, word);
  w.word(word, Math.floor((cpuNs - s * 1e9) / 1000), word);
  w.word(word * 16, nvcsw, word);
  w.word(word * 17, nivcsw, word);
  return w.buf;
}
