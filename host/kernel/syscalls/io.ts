// File I/O syscalls: read/write and their vector forms, open/close, seeking,
// stat in each ABI's layout, ioctl, dup and fcntl, readlink, getcwd, access.
import { EBADF, EFAULT, EINVAL, EISDIR, ENOENT, ENOTDIR, ERANGE, EROFS, ENAMETOOLONG } from "../errno.js";
import { BLOCKED, MemoryFile, O_ACCMODE, O_RDONLY, type OpenFile } from "../fs/file.js";
import { resolvePath } from "../fs/path.js";
import type { HostStat } from "../../platform/platform.js";
import { encodeStat, encodeStatx } from "./structs.js";
import type { Ctx, SysResult } from "./types.js";

const AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;
const O_CREAT = 0x40, O_TRUNC = 0x200, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, O_APPEND = 0x400;
const S_IFMT = 0o170000, S_IFDIR = 0o040000;
const IO_CHUNK = 1 << 20; // most bytes moved by one read/write call
const IOV_MAX = 1024;

function readableFile(c: Ctx, fd: number): OpenFile | number {
  const f = c.p.fds.get(fd);
  return f && f.readable() ? f : -EBADF;
}

function writableFile(c: Ctx, fd: number): OpenFile | number {
  const f = c.p.fds.get(fd);
  return f && f.writable() ? f : -EBADF;
}

// Run a file operation that may block; the process sleeps until the file wakes it.
function blocking<T>(c: Ctx, op: (wake: () => void) => T | typeof BLOCKED): T | typeof BLOCKED {
  let waker: (() => void) | null = null;
  const r = op(() => waker?.());
  if (r === BLOCKED) {
    waker = c.k.hostCallback(c.p);
    c.k.block(c.p);
  }
  return r;
}

export function read(c: Ctx, fd: number, buf: number, count: number): SysResult {
  const f = readableFile(c, fd);
  if (typeof f === "number") return f;
  if (count === 0) return 0;
  const r = blocking(c, (wake) => f.read(Math.min(count, IO_CHUNK), wake));
  if (r === BLOCKED || typeof r === "number") return r;
  return c.mem.write(buf, r) ? r.length : -EFAULT;
}

export function write(c: Ctx, fd: number, buf: number, count: number): SysResult {
  const f = writableFile(c, fd);
  if (typeof f === "number") return f;
  const data = c.mem.read(buf, Math.min(count, IO_CHUNK));
  if (!data) return -EFAULT;
  return blocking(c, (wake) => f.write(data, wake));
}

// struct iovec array: {base, len} words.
function readIovec(c: Ctx, iov: number, cnt: number): [number, number][] | number {
  if (cnt < 0 || cnt > IOV_MAX) return -EINVAL;
  const raw = c.mem.read(iov, cnt * 2 * c.word);
  if (!raw) return -EFAULT;
  const dv = new DataView(raw.buffer);
  const out: [number, number][] = [];
  for (let i = 0; i < cnt; i++) {
    const o = i * 2 * c.word;
    const base = c.word === 4 ? dv.getUint32(o, true) : Number(dv.getBigUint64(o, true));
    const len = c.word === 4 ? dv.getUint32(o + 4, true) : Number(dv.getBigUint64(o + 8, true));
    if (len > 0x7fffffff) return -EINVAL;
    out.push([base, len]);
  }
  return out;
}

export function writev(c: Ctx, fd: number, iov: number, cnt: number): SysResult {
  const f = writableFile(c, fd);
  if (typeof f === "number") return f;
  const vec = readIovec(c, iov, cnt);
  if (typeof vec === "number") return vec;
  const parts: Uint8Array[] = [];
  for (const [base, len] of vec) {
    const d = c.mem.read(base, len);
    if (!d) return -EFAULT;
    parts.push(d);
  }
  const all = new Uint8Array(parts.reduce((n, d) => n + d.length, 0));
  let o = 0;
  for (const d of parts) { all.set(d, o); o += d.length; }
  if (all.length === 0) return 0;
  return blocking(c, (wake) => f.write(all, wake));
}

export function readv(c: Ctx, fd: number, iov: number, cnt: number): SysResult {
  const f = readableFile(c, fd);
  if (typeof f === "number") return f;
  const vec = readIovec(c, iov, cnt);
  if (typeof vec === "number") return vec;
  const total = vec.reduce((n, [, len]) => n + len, 0);
  if (total === 0) return 0;
  const r = blocking(c, (wake) => f.read(Math.min(total, IO_CHUNK), wake));
  if (r === BLOCKED || typeof r === "number") return r;
  let o = 0;
  for (const [base, len] of vec) {
    if (o >= r.length) break;
    const n = Math.min(len, r.length - o);
    if (!c.mem.write(base, r.subarray(o, o + n))) return -EFAULT;
    o += n;
  }
  return r.length;
}

// The host path for a guest path relative to dirfd (only AT_FDCWD for now).
function pathAt(c: Ctx, dirfd: number, ptr: number): string | number {
  const s = c.mem.cstringBytes(ptr, 4095);
  if (!s) return c.mem.read(ptr, 1) ? -ENAMETOOLONG : -EFAULT;
  const path = new TextDecoder().decode(s);
  if (path === "") return -ENOENT;
  if (path.startsWith("/") || dirfd === AT_FDCWD) return resolvePath(c.p.cwd, path);
  const dir = c.p.fds.get(dirfd);
  if (!dir) return -EBADF;
  if ((dir.stat().mode & S_IFMT) !== S_IFDIR) return -ENOTDIR;
  return resolvePath(dir.path, path);
}

export function openat(c: Ctx, dirfd: number, pathPtr: number, flags: number, _mode: number): SysResult {
  const path = pathAt(c, dirfd, pathPtr);
  if (typeof path === "number") return path;
  const st = c.k.platform.stat(path, true);
  if (typeof st === "number") return st === ENOENT && flags & O_CREAT ? -EROFS : -st;
  const isDir = (st.mode & S_IFMT) === S_IFDIR;
  if (flags & O_DIRECTORY && !isDir) return -ENOTDIR;
  if ((flags & O_ACCMODE) !== O_RDONLY || flags & O_TRUNC) return isDir ? -EISDIR : -EROFS;
  let data: Uint8Array = new Uint8Array(0);
  if (!isDir) {
    const r = c.k.platform.readFile(path);
    if (typeof r === "number") return -r;
    data = r;
  }
  return c.p.fds.install(new MemoryFile(flags & ~(O_CLOEXEC | O_CREAT), path, data, st), (flags & O_CLOEXEC) !== 0);
}

export const open = (c: Ctx, pathPtr: number, flags: number, mode: number) => openat(c, AT_FDCWD, pathPtr, flags, mode);

export const close = (c: Ctx, fd: number) => c.p.fds.close(fd);

export function lseek(c: Ctx, fd: number, off: number, whence: number): SysResult {
  const f = c.p.fds.get(fd);
  return f ? f.seek(off, whence) : -EBADF;
}

// i386 _llseek: the 64-bit result goes to *result.
export function llseek(c: Ctx, fd: number, hi: number, lo: number, result: number, whence: number): SysResult {
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  const r = f.seek(hi * 2 ** 32 + lo, whence);
  if (r < 0) return r;
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(r), true);
  return c.mem.write(result, b) ? 0 : -EFAULT;
}

export function ioctl(c: Ctx, fd: number, req: number, arg: number): SysResult {
  const f = c.p.fds.get(fd);
  return f ? f.ioctl(req, arg) : -EBADF;
}

// The stat of an fd, or of a path relative to dirfd, following AT_ flags.
function statTarget(c: Ctx, dirfd: number, pathPtr: number, flags: number): HostStat | number {
  if (flags & AT_EMPTY_PATH) {
    const s = c.mem.cstringBytes(pathPtr, 4095);
    if (s && s.length === 0) {
      const f = dirfd === AT_FDCWD ? null : c.p.fds.get(dirfd);
      if (dirfd === AT_FDCWD) {
        const st = c.k.platform.stat(c.p.cwd, true);
        return typeof st === "number" ? -st : st;
      }
      return f ? f.stat() : -EBADF;
    }
  }
  const path = pathAt(c, dirfd, pathPtr);
  if (typeof path === "number") return path;
  const st = c.k.platform.stat(path, !(flags & AT_SYMLINK_NOFOLLOW));
  return typeof st === "number" ? -st : st;
}

function putStat(c: Ctx, buf: number, st: HostStat | number): SysResult {
  if (typeof st === "number") return st;
  return c.mem.write(buf, encodeStat(st, c.word)) ? 0 : -EFAULT;
}

export function fstat(c: Ctx, fd: number, buf: number): SysResult {
  const f = c.p.fds.get(fd);
  return f ? putStat(c, buf, f.stat()) : -EBADF;
}

export const fstatat = (c: Ctx, dirfd: number, path: number, buf: number, flags: number) =>
  putStat(c, buf, statTarget(c, dirfd, path, flags));
export const stat = (c: Ctx, path: number, buf: number) => putStat(c, buf, statTarget(c, AT_FDCWD, path, 0));
export const lstat = (c: Ctx, path: number, buf: number) =>
  putStat(c, buf, statTarget(c, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW));

export function statx(c: Ctx, dirfd: number, path: number, flags: number, _mask: number, buf: number): SysResult {
  const st = statTarget(c, dirfd, path, flags);
  if (typeof st === "number") return st;
  return c.mem.write(buf, encodeStatx(st)) ? 0 : -EFAULT;
}

export function readlinkat(c: Ctx, dirfd: number, pathPtr: number, buf: number, size: number): SysResult {
  if ((size | 0) <= 0) return -EINVAL;
  const path = pathAt(c, dirfd, pathPtr);
  if (typeof path === "number") return path;
  const self = path.match(/^\/proc\/(self|\d+)\/exe$/);
  let target: string | number;
  if (self) {
    const p = self[1] === "self" ? c.p : c.k.procs.get(Number(self[1]));
    target = p ? p.exe : -ENOENT;
  } else {
    const r = c.k.platform.readlink(path);
    target = typeof r === "number" ? -r : r;
  }
  if (typeof target === "number") return target;
  const bytes = new TextEncoder().encode(target).subarray(0, size);
  return c.mem.write(buf, bytes) ? bytes.length : -EFAULT;
}

export const readlink = (c: Ctx, path: number, buf: number, size: number) => readlinkat(c, AT_FDCWD, path, buf, size);

export function getcwd(c: Ctx, buf: number, size: number): SysResult {
  const b = new TextEncoder().encode(c.p.cwd + "\0");
  if (size < b.length) return -ERANGE;
  return c.mem.write(buf, b) ? b.length : -EFAULT;
}

export function faccessat(c: Ctx, dirfd: number, pathPtr: number, mode: number): SysResult {
  const path = pathAt(c, dirfd, pathPtr);
  if (typeof path === "number") return path;
  if (mode & ~7) return -EINVAL;
  const st = c.k.platform.stat(path, true);
  if (typeof st === "number") return -st;
  if (mode & 2) return -EROFS;
  if (mode & 1 && !(st.mode & 0o111)) return -13; // EACCES: root still needs one x bit
  return 0;
}

export const access = (c: Ctx, path: number, mode: number) => faccessat(c, AT_FDCWD, path, mode);

export function dup(c: Ctx, fd: number): SysResult {
  const f = c.p.fds.get(fd);
  return f ? c.p.fds.install(f, false) : -EBADF;
}

export function dup3(c: Ctx, oldfd: number, newfd: number, flags: number): SysResult {
  const f = c.p.fds.get(oldfd);
  if (!f) return -EBADF;
  if (oldfd === newfd || flags & ~O_CLOEXEC) return -EINVAL;
  if (newfd < 0 || newfd >= 1024) return -EBADF;
  c.p.fds.setAt(newfd, f, (flags & O_CLOEXEC) !== 0);
  return newfd;
}

export function dup2(c: Ctx, oldfd: number, newfd: number): SysResult {
  if (oldfd === newfd) return c.p.fds.get(oldfd) ? newfd : -EBADF;
  return dup3(c, oldfd, newfd, 0);
}

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
const SETFL_MASK = O_APPEND | 0x800 | 0x2000 | 0x4000 | 0x40000; // O_APPEND O_NONBLOCK O_ASYNC O_DIRECT O_NOATIME

export function fcntl(c: Ctx, fd: number, cmd: number, arg: number): SysResult {
  const e = c.p.fds.entry(fd);
  if (!e) return -EBADF;
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= 1024) return -EINVAL;
      return c.p.fds.install(e.file, cmd === F_DUPFD_CLOEXEC, arg);
    case F_GETFD: return e.cloexec ? 1 : 0;
    case F_SETFD: e.cloexec = (arg & 1) !== 0; return 0;
    case F_GETFL: return e.file.flags;
    case F_SETFL: e.file.flags = (e.file.flags & ~SETFL_MASK) | (arg & SETFL_MASK); return 0;
    default: return -EINVAL;
  }
}
