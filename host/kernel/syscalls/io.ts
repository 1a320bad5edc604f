// Descriptor I/O: read/write and their vector and positional forms, sendfile,
// seeking, ioctl, close and close_range, dup and fcntl, pipes, getdents.
import { EAGAIN, EBADF, EFAULT, EINVAL, EISDIR, EMFILE, ENOTDIR, EPIPE, ESPIPE } from "../errno.js";
import { FD_LIMIT } from "../fs/fdtable.js";
import { BLOCKED, O_APPEND, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, type OpenFile } from "../fs/file.js";
import { Pipe, PipeReader, PipeWriter } from "../fs/pipe.js";
import { DirFile } from "../fs/regular.js";
import { isDir, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG } from "../fs/node.js";
import { sendSignal } from "../signal/send.js";
import { SI_USER } from "../signal/siginfo.js";
import { SIGPIPE } from "../signals.js";
import { ttyIoctl, ttyRead, ttyWriteCheck } from "../tty/ctl.js";
import { PtyMaster } from "../tty/pty.js";
import { TtyFile } from "../tty/tty.js";
import type { Ctx, SysResult } from "./types.js";

const IO_CHUNK = 1 << 20; // most bytes moved by one read/write call
const IOV_MAX = 1024;
const MAX_RW = 0x7ffff000; // Linux's MAX_RW_COUNT

function fileOf(c: Ctx, fd: number): OpenFile | number {
  return c.p.fds.get(fd) ?? -EBADF;
}

// Park the process until f changes state; the syscall then runs again.
export function sleepOn(c: Ctx, files: OpenFile[]): typeof BLOCKED {
  const { k, p } = c;
  const cancels = files.map((f) => f.subscribe(() => k.wake(p)));
  k.block(p, () => { for (const x of cancels) x(); });
  return BLOCKED;
}

// The one place a write to a pipe without readers raises SIGPIPE, as send_sig does:
// from the writer itself. The write fails with EPIPE when the signal does not kill.
function brokenPipe(c: Ctx): void {
  sendSignal(c.k, c.p, { signo: SIGPIPE, code: SI_USER, kind: "kill", pid: c.p.pid, uid: c.p.creds.uid });
}

// Read once from f; waits (or EAGAIN) while nothing is there.
function readFrom(c: Ctx, f: OpenFile, len: number): Uint8Array | number | typeof BLOCKED {
  if (!f.readable()) return -EBADF;
  if (f instanceof TtyFile) return ttyRead(c, f, Math.min(len, IO_CHUNK));
  const r = f.read(Math.min(len, IO_CHUNK));
  if (r !== BLOCKED) return r;
  return f.nonblocking() ? -EAGAIN : sleepOn(c, [f]);
}

// Write data (the bytes at the guest's buffer from `done` on) to f. A blocking
// pipe write waits until every byte is in; progress is kept in p.pending.
function writeTo(c: Ctx, f: OpenFile, read: (from: number) => Uint8Array | null, len: number): SysResult {
  if (!f.writable()) return -EBADF;
  if (f instanceof TtyFile && c.p.pending === null) {
    const jc = ttyWriteCheck(c, f.tty);
    if (jc !== 0) return jc;
  }
  const done = typeof c.p.pending === "number" ? c.p.pending : 0;
  const data = read(done);
  if (!data) return done || -EFAULT;
  const r = f.write(data);
  if (r === BLOCKED) {
    if (f.nonblocking()) return done || -EAGAIN;
    c.p.pending = done;
    return sleepOn(c, [f]);
  }
  if (r < 0) {
    if (r === -EPIPE) brokenPipe(c);
    return done || r;
  }
  const total = done + r;
  if (total < len && f.writesWhole() && !f.nonblocking()) {
    c.p.pending = total;
    return sleepOn(c, [f]);
  }
  return total;
}

export function read(c: Ctx, fd: number, buf: number, count: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  if (count === 0) return f.readable() ? 0 : -EBADF;
  const r = readFrom(c, f, Math.min(count, MAX_RW));
  if (r === BLOCKED || typeof r === "number") return r;
  return c.mem.write(buf, r) ? r.length : -EFAULT;
}

export function write(c: Ctx, fd: number, buf: number, count: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  const len = Math.min(count, MAX_RW);
  if (len === 0) return f.writable() ? 0 : -EBADF;
  return writeTo(c, f, (from) => c.mem.read(buf + from, Math.min(len - from, IO_CHUNK)), len);
}

// struct iovec array: {base, len} words.
function readIovec(c: Ctx, iov: number, cnt: number): [number, number][] | number {
  if (cnt < 0 || cnt > IOV_MAX) return -EINVAL;
  const w = c.word;
  if (cnt > 0 && !c.mem.readable(iov, cnt * 2 * w)) return -EFAULT;
  const out: [number, number][] = new Array(cnt);
  let total = 0;
  for (let i = 0; i < cnt; i++) {
    const base = c.mem.word(iov + i * 2 * w, w)!;
    const len = c.mem.word(iov + i * 2 * w + w, w)!;
    if (len > 0x7fffffff || (total += len) > 0x7fffffff) return -EINVAL;
    out[i] = [base, len];
  }
  return out;
}

// The bytes of an iovec from `from` on (at most IO_CHUNK), or null on a bad buffer.
function gather(c: Ctx, vec: [number, number][], from: number): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let skip = from, n = 0;
  for (const [base, len] of vec) {
    if (skip >= len) { skip -= len; continue; }
    const take = Math.min(len - skip, IO_CHUNK - n);
    const d = c.mem.read(base + skip, take);
    if (!d) return n ? concat(parts, n) : null;
    parts.push(d);
    n += take;
    skip = 0;
    if (n >= IO_CHUNK) break;
  }
  return concat(parts, n);
}

function concat(parts: Uint8Array[], n: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const all = new Uint8Array(n);
  let o = 0;
  for (const d of parts) { all.set(d, o); o += d.length; }
  return all;
}

function scatter(c: Ctx, vec: [number, number][], data: Uint8Array): boolean {
  let o = 0;
  for (const [base, len] of vec) {
    if (o >= data.length) break;
    const n = Math.min(len, data.length - o);
    if (!c.mem.write(base, data.subarray(o, o + n))) return false;
    o += n;
  }
  return true;
}

export function writev(c: Ctx, fd: number, iov: number, cnt: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  const vec = readIovec(c, iov, cnt);
  if (typeof vec === "number") return vec;
  const total = vec.reduce((n, [, len]) => n + len, 0);
  if (total === 0) return f.writable() ? 0 : -EBADF;
  return writeTo(c, f, (from) => gather(c, vec, from), total);
}

export function readv(c: Ctx, fd: number, iov: number, cnt: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  const vec = readIovec(c, iov, cnt);
  if (typeof vec === "number") return vec;
  const total = vec.reduce((n, [, len]) => n + len, 0);
  if (total === 0) return f.readable() ? 0 : -EBADF;
  const r = readFrom(c, f, total);
  if (r === BLOCKED || typeof r === "number") return r;
  return scatter(c, vec, r) ? r.length : -EFAULT;
}

// Positional I/O: regular files only (pipes and ttys: ESPIPE).
export function pread64(c: Ctx, fd: number, buf: number, count: number, pos: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  if (!f.readable()) return -EBADF;
  if (pos < 0) return -EINVAL;
  if (f.node && isDir(f.node.mode)) return -EISDIR;
  const r = f.pread(Math.min(count, IO_CHUNK), pos);
  if (typeof r === "number") return r;
  return c.mem.write(buf, r) ? r.length : -EFAULT;
}

export function pwrite64(c: Ctx, fd: number, buf: number, count: number, pos: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  if (!f.writable()) return -EBADF;
  if (pos < 0) return -EINVAL;
  const data = c.mem.read(buf, Math.min(count, IO_CHUNK));
  if (!data) return -EFAULT;
  return f.pwrite(data, pos);
}

// i386 passes 64-bit offsets as two registers, low word first.
export const pread64I386 = (c: Ctx, fd: number, buf: number, count: number, lo: number, hi: number) =>
  pread64(c, fd, buf, count, (hi | 0) * 2 ** 32 + lo);
export const pwrite64I386 = (c: Ctx, fd: number, buf: number, count: number, lo: number, hi: number) =>
  pwrite64(c, fd, buf, count, (hi | 0) * 2 ** 32 + lo);

// sendfile: from a seekable file (at *offset, or its own offset) to any writable
// file. offWord: the size of *offset (i386 sendfile: 4; sendfile64 and x86-64: 8).
function sendfileWith(c: Ctx, outFd: number, inFd: number, offPtr: number, count: number, offWord: 4 | 8): SysResult {
  const out = fileOf(c, outFd);
  const inp = fileOf(c, inFd);
  if (typeof out === "number") return out;
  if (typeof inp === "number") return inp;
  if (!inp.readable() || !out.writable()) return -EBADF;
  if (out.flags & O_APPEND) return -EINVAL;
  let pos = inp.offset;
  if (offPtr) {
    const v = c.mem.word(offPtr, offWord);
    if (v === null) return -EFAULT;
    pos = v;
  }
  const data = inp.pread(Math.min(count, IO_CHUNK), pos);
  if (typeof data === "number") return data === -ESPIPE ? -EINVAL : data;
  const r = writeTo(c, out, (from) => data.subarray(from), data.length);
  if (typeof r !== "number" || r < 0) return r;
  if (offPtr) {
    const b = new Uint8Array(offWord);
    new DataView(b.buffer).setUint32(0, (pos + r) >>> 0, true);
    if (offWord === 8) new DataView(b.buffer).setUint32(4, Math.floor((pos + r) / 2 ** 32), true);
    if (!c.mem.write(offPtr, b)) return -EFAULT;
  } else {
    inp.offset = pos + r;
  }
  return r;
}

export const sendfile = (c: Ctx, o: number, i: number, off: number, n: number) => sendfileWith(c, o, i, off, n, c.word);
export const sendfile64 = (c: Ctx, o: number, i: number, off: number, n: number) => sendfileWith(c, o, i, off, n, 8);

// copy_file_range between regular files: from *offIn (or the input's offset) to
// *offOut (or the output's offset). Files that are not regular are EINVAL, as Linux.
export function copyFileRange(c: Ctx, inFd: number, offIn: number, outFd: number, offOut: number, len: number,
  flags: number): SysResult {
  if (flags !== 0) return -EINVAL;
  const inp = fileOf(c, inFd);
  const out = fileOf(c, outFd);
  if (typeof inp === "number") return inp;
  if (typeof out === "number") return out;
  if (!inp.readable() || !out.writable() || out.flags & O_APPEND) return -EBADF;
  const mi = inp.stat().mode & S_IFMT, mo = out.stat().mode & S_IFMT;
  if (mi === S_IFDIR || mo === S_IFDIR) return -EISDIR;
  if (mi !== S_IFREG || mo !== S_IFREG) return -EINVAL;
  const posIn = offIn ? c.mem.word(offIn, 8) : inp.offset;
  const posOut = offOut ? c.mem.word(offOut, 8) : out.offset;
  if (posIn === null || posOut === null) return -EFAULT;
  const data = inp.pread(Math.min(len, IO_CHUNK), posIn);
  if (typeof data === "number") return data;
  if (data.length === 0) return 0;
  const r = offOut ? out.pwrite(data, posOut) : writeTo(c, out, (from) => data.subarray(from), data.length);
  if (typeof r !== "number" || r <= 0) return r;
  const put = (ptr: number, v: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    return c.mem.write(ptr, b);
  };
  if (offIn ? !put(offIn, posIn + r) : ((inp.offset = posIn + r), false)) return -EFAULT;
  if (offOut && !put(offOut, posOut + r)) return -EFAULT;
  return r;
}

// posix_fadvise: advice only, so just the checks Linux makes.
const POSIX_FADV_NOREUSE = 5;
function fadvise(c: Ctx, fd: number, len: number, advice: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  if ((f.stat().mode & S_IFMT) === S_IFIFO) return -ESPIPE;
  return advice < 0 || advice > POSIX_FADV_NOREUSE || len < 0 ? -EINVAL : 0;
}
export const fadvise64 = (c: Ctx, fd: number, _off: number, len: number, advice: number) => fadvise(c, fd, len, advice);
// i386: fadvise64(fd, off_lo, off_hi, len, advice) and fadvise64_64(fd, off_lo, off_hi, len_lo, len_hi, advice).
export const fadvise64I386 = (c: Ctx, fd: number, _lo: number, _hi: number, len: number, advice: number) =>
  fadvise(c, fd, len | 0, advice);
export const fadvise6464I386 = (c: Ctx, fd: number, _lo: number, _hi: number, _llo: number, lhi: number, advice: number) =>
  fadvise(c, fd, lhi | 0, advice);

export function lseek(c: Ctx, fd: number, off: number, whence: number): SysResult {
  const f = fileOf(c, fd);
  return typeof f === "number" ? f : f.seek(off, whence);
}

// i386 _llseek: the 64-bit result goes to *result.
export function llseek(c: Ctx, fd: number, hi: number, lo: number, result: number, whence: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  const r = f.seek((hi | 0) * 2 ** 32 + lo, whence);
  if (r < 0) return r;
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(r), true);
  return c.mem.write(result, b) ? 0 : -EFAULT;
}

const FIONREAD = 0x541b, FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451;

export function ioctl(c: Ctx, fd: number, req: number, arg: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  switch (req) {
    case FIOCLEX: case FIONCLEX: c.p.fds.entry(fd)!.cloexec = req === FIOCLEX; return 0;
    case FIONBIO: {
      const v = c.mem.u32(arg);
      if (v === null) return -EFAULT;
      f.flags = v ? f.flags | O_NONBLOCK : f.flags & ~O_NONBLOCK;
      return 0;
    }
    case FIONREAD: {
      const n = f.unread();
      if (n === null) return f.ioctl(req, arg, c.mem);
      return c.mem.writeU32(arg, n) ? 0 : -EFAULT;
    }
    default:
      if (f instanceof TtyFile) return ttyIoctl(c, f.tty, false, f.readable(), req, arg);
      if (f instanceof PtyMaster) return f.ptyIoctl(req, arg, c.mem) ?? ttyIoctl(c, f.slave, true, f.readable(), req, arg);
      return f.ioctl(req, arg, c.mem);
  }
}

export const close = (c: Ctx, fd: number) => c.p.fds.close(fd);

const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

export function closeRange(c: Ctx, first: number, last: number, flags: number): SysResult {
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first >>> 0 > last >>> 0) return -EINVAL;
  for (const fd of c.p.fds.list()) {
    if (fd < first >>> 0 || fd > last >>> 0) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) c.p.fds.entry(fd)!.cloexec = true;
    else c.p.fds.close(fd);
  }
  return 0;
}

export function dup(c: Ctx, fd: number): SysResult {
  const f = fileOf(c, fd);
  return typeof f === "number" ? f : c.p.fds.install(f, false);
}

export function dup3(c: Ctx, oldfd: number, newfd: number, flags: number): SysResult {
  if (flags & ~O_CLOEXEC) return -EINVAL;
  const f = fileOf(c, oldfd);
  if (typeof f === "number") return f;
  if (oldfd === newfd) return -EINVAL;
  if (newfd < 0 || newfd >= FD_LIMIT) return -EBADF;
  c.p.fds.setAt(newfd, f, (flags & O_CLOEXEC) !== 0);
  return newfd;
}

export function dup2(c: Ctx, oldfd: number, newfd: number): SysResult {
  if (oldfd === newfd) return c.p.fds.get(oldfd) ? newfd : -EBADF;
  return dup3(c, oldfd, newfd, 0);
}

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7,
  F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14, F_DUPFD_CLOEXEC = 1030, F_GETPIPE_SZ = 1032;
// O_APPEND O_NONBLOCK O_ASYNC O_DIRECT O_NOATIME: what F_SETFL may change.
const SETFL_MASK = O_APPEND | O_NONBLOCK | 0x2000 | 0x4000 | 0x40000;

export function fcntl(c: Ctx, fd: number, cmd: number, arg: number): SysResult {
  const e = c.p.fds.entry(fd);
  if (!e) return -EBADF;
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      if (arg >>> 0 >= FD_LIMIT) return -EINVAL;
      return c.p.fds.install(e.file, cmd === F_DUPFD_CLOEXEC, arg);
    case F_GETFD: return e.cloexec ? 1 : 0;
    case F_SETFD: e.cloexec = (arg & 1) !== 0; return 0;
    case F_GETFL: return e.file.flags;
    case F_SETFL: e.file.flags = (e.file.flags & ~SETFL_MASK) | (arg & SETFL_MASK); return 0;
    case F_GETPIPE_SZ: return e.file instanceof PipeReader || e.file instanceof PipeWriter ? 65536 : -EBADF;
    // Advisory locks: every process here shares one host process, so locks never conflict.
    case F_SETLK: case F_SETLKW: case F_SETLK64: case F_SETLKW64: return 0;
    case F_GETLK: case F_GETLK64: {
      const F_UNLCK = 2;
      const b = new Uint8Array(2);
      new DataView(b.buffer).setUint16(0, F_UNLCK, true);
      return c.mem.write(arg, b) ? 0 : -EFAULT;
    }
    default: return -EINVAL;
  }
}

export function pipe2(c: Ctx, fdsPtr: number, flags: number): SysResult {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | 0x4000)) return -EINVAL; // O_DIRECT: packet mode is not distinguished
  const pipe = new Pipe({ uid: c.p.creds.euid, gid: c.p.creds.egid }, c.k.platform.nowMs());
  const status = flags & O_NONBLOCK;
  const r = new PipeReader(O_RDONLY | status, pipe);
  const w = new PipeWriter(O_WRONLY | status, pipe);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = c.p.fds.install(r, cloexec);
  if (rfd < 0) { r.release(); w.release(); return rfd; }
  const wfd = c.p.fds.install(w, cloexec);
  if (wfd < 0) { c.p.fds.close(rfd); w.release(); return -EMFILE; }
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, rfd, true);
  dv.setInt32(4, wfd, true);
  if (!c.mem.write(fdsPtr, b)) {
    c.p.fds.close(rfd);
    c.p.fds.close(wfd);
    return -EFAULT;
  }
  return 0;
}

export const pipe = (c: Ctx, fdsPtr: number) => pipe2(c, fdsPtr, 0);

export function fsync(c: Ctx, fd: number): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  return f.node ? 0 : -EINVAL;
}

// getdents64 (and the old getdents): linux_dirent64 records are
// {u64 ino, s64 off, u16 reclen, u8 type, name\0} padded to 8 bytes;
// linux_dirent is {ulong ino, ulong off, u16 reclen, name\0, pad, u8 type}.
function dents(c: Ctx, fd: number, buf: number, count: number, wide: boolean): SysResult {
  const f = fileOf(c, fd);
  if (typeof f === "number") return f;
  if (!(f instanceof DirFile)) return -ENOTDIR;
  const list = f.listing();
  if (typeof list === "number") return list;
  const out = new Uint8Array(Math.min(count, 1 << 20));
  const dv = new DataView(out.buffer);
  const enc = new TextEncoder();
  let o = 0, n = 0;
  for (const e of list) {
    const name = enc.encode(e.name);
    const w = wide ? 8 : c.word;
    const reclen = wide ? (19 + name.length + 1 + 7) & ~7 : (2 * w + 2 + name.length + 2 + w - 1) & ~(w - 1);
    if (o + reclen > out.length) break;
    const next = f.offset + n + 1;
    if (wide) {
      dv.setBigUint64(o, BigInt(e.ino), true);
      dv.setBigInt64(o + 8, BigInt(next), true);
      dv.setUint16(o + 16, reclen, true);
      out[o + 18] = e.type;
      out.set(name, o + 19);
    } else {
      dv.setUint32(o, e.ino >>> 0, true);
      dv.setUint32(o + w, next, true);
      dv.setUint16(o + 2 * w, reclen, true);
      out.set(name, o + 2 * w + 2);
      out[o + reclen - 1] = e.type;
    }
    o += reclen;
    n++;
  }
  if (n === 0 && list.length > 0) return -EINVAL; // buffer too small for one entry
  if (!c.mem.write(buf, out.subarray(0, o))) return -EFAULT;
  f.offset += n;
  return o;
}

export const getdents64 = (c: Ctx, fd: number, buf: number, count: number) => dents(c, fd, buf, count, true);
export const getdents = (c: Ctx, fd: number, buf: number, count: number) => dents(c, fd, buf, count, false);
