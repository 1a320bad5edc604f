// Namespace syscalls: open and creat, the stat family, access, readlink,
// directories (getcwd, chdir, mkdir, rmdir), unlink, rename, link, symlink,
// attributes (chmod, chown, truncate, utimensat).
import { EACCES, EBADF, EBUSY, EEXIST, EFAULT, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM,
  ERANGE, EXDEV } from "../errno.js";
import type { HostStat } from "../../platform/platform.js";
import { O_CLOEXEC, O_CREAT, O_EXCL, O_LARGEFILE, O_NOCTTY, O_TMPFILE, O_TRUNC, O_WRONLY } from "../fs/file.js";
import { OpenFileNode } from "../fs/synth.js";
import { isDir, isLink, type Caller, type Times } from "../fs/node.js";
import { caller, cwdLoc } from "../fs/setup.js";
import type { Loc, ParentLoc } from "../fs/vfs.js";
import { encodeStat, encodeStatfs, encodeStatx, STATFS64_SIZE } from "./structs.js";
import type { Ctx, SysResult } from "./types.js";
import { openedTty } from "../tty/session.js";
import { TtyFile } from "../tty/tty.js";

const AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EACCESS = 0x200,
  AT_SYMLINK_FOLLOW = 0x400, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000, AT_STATX_SYNC_TYPE = 0x6000;
const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
const PATH_MAX = 4096;

const who = (c: Ctx): Caller => caller(c.p);

// A path argument: -EFAULT, -ENAMETOOLONG, or the string ("" allowed: callers decide).
function pathArg(c: Ctx, ptr: number): string | number {
  const s = c.mem.cstringBytes(ptr, PATH_MAX - 1);
  if (!s) return c.mem.read(ptr, 1) ? -ENAMETOOLONG : -EFAULT;
  return new TextDecoder().decode(s);
}

// Where a *at() path starts: the cwd, or the directory open at dirfd.
function startAt(c: Ctx, dirfd: number, path: string): Loc | number {
  if (path.startsWith("/")) return c.k.vfs.root;
  if (dirfd === AT_FDCWD) return cwdLoc(c.k.vfs, c.p);
  const f = c.p.fds.get(dirfd);
  if (!f) return -EBADF;
  if (!f.node || !isDir(f.node.mode)) return -ENOTDIR;
  return { node: f.node, path: f.path };
}

// Resolve dirfd + path (following the last symlink when follow).
function lookupAt(c: Ctx, dirfd: number, ptr: number, follow: boolean, emptyOk = false): Loc | number {
  const path = pathArg(c, ptr);
  if (typeof path === "number") return path;
  if (path === "") {
    if (!emptyOk) return -ENOENT;
    if (dirfd === AT_FDCWD) return cwdLoc(c.k.vfs, c.p);
    const f = c.p.fds.get(dirfd);
    if (!f) return -EBADF;
    return { node: f.node ?? new OpenFileNode(f), path: f.path };
  }
  const start = startAt(c, dirfd, path);
  if (typeof start === "number") return start;
  return c.k.vfs.resolve(who(c), start, path, follow);
}

function parentAt(c: Ctx, dirfd: number, ptr: number): ParentLoc | number {
  const path = pathArg(c, ptr);
  if (typeof path === "number") return path;
  const start = startAt(c, dirfd, path);
  if (typeof start === "number") return start;
  return c.k.vfs.resolveParent(who(c), start, path);
}

// ---- open ------------------------------------------------------------------

export function openat(c: Ctx, dirfd: number, pathPtr: number, flags: number, mode: number): SysResult {
  const path = pathArg(c, pathPtr);
  if (typeof path === "number") return path;
  if ((flags & O_TMPFILE) === O_TMPFILE) {
    c.k.log("unsupported open flag O_TMPFILE");
    return -EINVAL;
  }
  const start = startAt(c, dirfd, path);
  if (typeof start === "number") return start;
  // x86-64 open() implies O_LARGEFILE; i386 libcs pass it themselves.
  const kept = (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | (c.word === 8 ? O_LARGEFILE : 0);
  const f = c.k.vfs.open(who(c), start, path, flags, mode & ~c.p.umask & 0o7777);
  if (typeof f === "number") return f;
  f.flags = kept;
  if (f instanceof TtyFile) openedTty(c.p, f.tty, (flags & O_NOCTTY) !== 0);
  return c.p.fds.install(f, (flags & O_CLOEXEC) !== 0);
}

export const open = (c: Ctx, path: number, flags: number, mode: number) => openat(c, AT_FDCWD, path, flags, mode);
export const creat = (c: Ctx, path: number, mode: number) => openat(c, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);

// ---- stat --------------------------------------------------------------------

function statAt(c: Ctx, dirfd: number, ptr: number, flags: number): HostStat | number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) return -EINVAL;
  const l = lookupAt(c, dirfd, ptr, !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  return typeof l === "number" ? l : l.node.stat();
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
  putStat(c, buf, statAt(c, dirfd, path, flags));
export const stat = (c: Ctx, path: number, buf: number) => putStat(c, buf, statAt(c, AT_FDCWD, path, 0));
export const lstat = (c: Ctx, path: number, buf: number) => putStat(c, buf, statAt(c, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW));

// statfs and fstatfs (i386 also statfs64/fstatfs64, which take the struct's size).
function putStatfs(c: Ctx, l: Loc | number | null, buf: number, size = -1): SysResult {
  if (typeof l === "number") return l;
  if (!l) return -EBADF;
  if (size >= 0 && size !== STATFS64_SIZE) return -EINVAL;
  return c.mem.write(buf, encodeStatfs(c.word, size >= 0)) ? 0 : -EFAULT;
}
const fdLoc = (c: Ctx, fd: number): Loc | null => {
  const f = c.p.fds.get(fd);
  return f ? { node: f.node ?? new OpenFileNode(f), path: f.path } : null;
};
export const statfs = (c: Ctx, path: number, buf: number) => putStatfs(c, lookupAt(c, AT_FDCWD, path, true), buf);
export const fstatfs = (c: Ctx, fd: number, buf: number) => putStatfs(c, fdLoc(c, fd), buf);
export const statfs64 = (c: Ctx, path: number, size: number, buf: number) =>
  putStatfs(c, lookupAt(c, AT_FDCWD, path, true), buf, size);
export const fstatfs64 = (c: Ctx, fd: number, size: number, buf: number) => putStatfs(c, fdLoc(c, fd), buf, size);

// Extended attributes: no file carries any, so every name is ENODATA and
// every list is empty (after the same lookups Linux makes).
const ENODATA = 61;
const noXattr = (l: Loc | number | null) => (typeof l === "number" ? l : l ? -ENODATA : -EBADF);
const noList = (l: Loc | number | null) => (typeof l === "number" ? l : l ? 0 : -EBADF);
export const getxattr = (c: Ctx, path: number) => noXattr(lookupAt(c, AT_FDCWD, path, true));
export const lgetxattr = (c: Ctx, path: number) => noXattr(lookupAt(c, AT_FDCWD, path, false));
export const fgetxattr = (c: Ctx, fd: number) => noXattr(fdLoc(c, fd));
export const listxattr = (c: Ctx, path: number) => noList(lookupAt(c, AT_FDCWD, path, true));
export const llistxattr = (c: Ctx, path: number) => noList(lookupAt(c, AT_FDCWD, path, false));
export const flistxattr = (c: Ctx, fd: number) => noList(fdLoc(c, fd));

// Setting one: an access or default ACL is accepted (install and cp -p set the
// minimal ACL their mode bits already say); anything else is EOPNOTSUPP, as on
// a file system without xattr support. Removing finds nothing: ENODATA.
const EOPNOTSUPP = 95, XATTR_CREATE = 1, XATTR_REPLACE = 2;
function setXattr(c: Ctx, l: Loc | number | null, name: number, flags: number): SysResult {
  if (typeof l === "number") return l;
  if (!l) return -EBADF;
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -EINVAL;
  const n = c.mem.cstring(name, 256);
  if (n === null) return -EFAULT;
  if (n.length === 0 || n.length > 255) return -ERANGE;
  return n === "system.posix_acl_access" || n === "system.posix_acl_default" ? 0 : -EOPNOTSUPP;
}
export const setxattr = (c: Ctx, path: number, name: number, _v: number, _s: number, flags: number) =>
  setXattr(c, lookupAt(c, AT_FDCWD, path, true), name, flags);
export const lsetxattr = (c: Ctx, path: number, name: number, _v: number, _s: number, flags: number) =>
  setXattr(c, lookupAt(c, AT_FDCWD, path, false), name, flags);
export const fsetxattr = (c: Ctx, fd: number, name: number, _v: number, _s: number, flags: number) =>
  setXattr(c, fdLoc(c, fd), name, flags);
export const removexattr = (c: Ctx, path: number) => noXattr(lookupAt(c, AT_FDCWD, path, true));
export const lremovexattr = (c: Ctx, path: number) => noXattr(lookupAt(c, AT_FDCWD, path, false));
export const fremovexattr = (c: Ctx, fd: number) => noXattr(fdLoc(c, fd));

export function statx(c: Ctx, dirfd: number, path: number, flags: number, mask: number, buf: number): SysResult {
  if (mask & 0x80000000) return -EINVAL; // STATX__RESERVED
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return -EINVAL;
  const st = statAt(c, dirfd, path, flags);
  if (typeof st === "number") return st;
  return c.mem.write(buf, encodeStatx(st)) ? 0 : -EFAULT;
}

// ---- access, readlink, cwd ---------------------------------------------------

export function faccessat2(c: Ctx, dirfd: number, pathPtr: number, mode: number, flags: number): SysResult {
  if (mode & ~7) return -EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const l = lookupAt(c, dirfd, pathPtr, !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  if (typeof l === "number") return l;
  const st = l.node.stat();
  const uid = flags & AT_EACCESS ? c.p.creds.euid : c.p.creds.uid;
  const gid = flags & AT_EACCESS ? c.p.creds.egid : c.p.creds.gid;
  if (uid === 0) return mode & 1 && !isDir(st.mode) && !(st.mode & 0o111) ? -EACCES : 0; // root needs one x bit
  const bits = st.uid === uid ? st.mode >> 6 : st.gid === gid ? st.mode >> 3 : st.mode;
  return (bits & mode & 7) === (mode & 7) ? 0 : -EACCES;
}
export const faccessat = (c: Ctx, dirfd: number, path: number, mode: number) => faccessat2(c, dirfd, path, mode, 0);
export const access = (c: Ctx, path: number, mode: number) => faccessat2(c, AT_FDCWD, path, mode, 0);

export function readlinkat(c: Ctx, dirfd: number, pathPtr: number, buf: number, size: number): SysResult {
  if ((size | 0) <= 0) return -EINVAL;
  const l = lookupAt(c, dirfd, pathPtr, false, true);
  if (typeof l === "number") return l;
  if (!isLink(l.node.mode)) return -EINVAL;
  const target = l.node.readlink();
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

export function chdir(c: Ctx, pathPtr: number): SysResult {
  const l = lookupAt(c, AT_FDCWD, pathPtr, true);
  if (typeof l === "number") return l;
  if (!isDir(l.node.mode)) return -ENOTDIR;
  c.p.cwd = l.path;
  return 0;
}

export function fchdir(c: Ctx, fd: number): SysResult {
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  if (!f.node || !isDir(f.node.mode)) return -ENOTDIR;
  c.p.cwd = f.path;
  return 0;
}

// ---- creating and removing names ---------------------------------------------

export function mkdirat(c: Ctx, dirfd: number, pathPtr: number, mode: number): SysResult {
  const p = parentAt(c, dirfd, pathPtr);
  if (typeof p === "number") return p;
  if (p.name === "") return -EEXIST;
  return p.dir.node.mkdir(p.name, mode & ~c.p.umask & 0o7777, who(c));
}
export const mkdir = (c: Ctx, path: number, mode: number) => mkdirat(c, AT_FDCWD, path, mode);

export function unlinkat(c: Ctx, dirfd: number, pathPtr: number, flags: number): SysResult {
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const p = parentAt(c, dirfd, pathPtr);
  if (typeof p === "number") return p;
  if (flags & AT_REMOVEDIR) {
    if (p.name === "") return pathTail(c, pathPtr) === "." ? -EINVAL : pathTail(c, pathPtr) === ".." ? -ENOTEMPTY : -EBUSY;
    return p.dir.node.rmdir(p.name);
  }
  if (p.name === "") return -EISDIR;
  if (p.trailingSlash) {
    const t = c.k.vfs.resolve(who(c), p.dir, p.name, false);
    if (typeof t === "number") return t;
    return isDir(t.node.mode) ? -EISDIR : -ENOTDIR;
  }
  return p.dir.node.unlink(p.name);
}
export const unlink = (c: Ctx, path: number) => unlinkat(c, AT_FDCWD, path, 0);
export const rmdir = (c: Ctx, path: number) => unlinkat(c, AT_FDCWD, path, AT_REMOVEDIR);

// The last component of a path argument (for the errors of "." and "..").
function pathTail(c: Ctx, ptr: number): string {
  const s = pathArg(c, ptr);
  return typeof s === "number" ? "" : s.split("/").filter(Boolean).pop() ?? "/";
}

export function renameat2(c: Ctx, oldDirfd: number, oldPtr: number, newDirfd: number, newPtr: number, flags: number): SysResult {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -EINVAL;
  if (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE) return -EINVAL;
  if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) {
    c.k.log("unsupported renameat2 flag RENAME_EXCHANGE/RENAME_WHITEOUT");
    return -EINVAL;
  }
  const from = parentAt(c, oldDirfd, oldPtr);
  if (typeof from === "number") return from;
  const to = parentAt(c, newDirfd, newPtr);
  if (typeof to === "number") return to;
  if (from.name === "" || to.name === "") return -EBUSY;
  const src = c.k.vfs.resolve(who(c), from.dir, from.name, false);
  if (typeof src === "number") return src;
  if (from.dir.node.fsId !== to.dir.node.fsId) return -EXDEV;
  const srcPath = src.path, dstPath = to.dir.path === "/" ? `/${to.name}` : `${to.dir.path}/${to.name}`;
  const dst = c.k.vfs.resolve(who(c), to.dir, to.name, false);
  if ((from.trailingSlash || to.trailingSlash) && !isDir(src.node.mode)) return -ENOTDIR;
  if (typeof dst !== "number") {
    if (flags & RENAME_NOREPLACE) return -EEXIST;
    if (dst.node === src.node) return 0;
  }
  if (isDir(src.node.mode) && (dstPath + "/").startsWith(srcPath + "/")) return -EINVAL;
  if (typeof dst !== "number" && (srcPath + "/").startsWith(dstPath + "/")) return -ENOTEMPTY;
  return from.dir.node.rename(from.name, to.dir.node, to.name);
}
export const renameat = (c: Ctx, od: number, o: number, nd: number, n: number) => renameat2(c, od, o, nd, n, 0);
export const rename = (c: Ctx, o: number, n: number) => renameat2(c, AT_FDCWD, o, AT_FDCWD, n, 0);

export function linkat(c: Ctx, oldDirfd: number, oldPtr: number, newDirfd: number, newPtr: number, flags: number): SysResult {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const src = lookupAt(c, oldDirfd, oldPtr, (flags & AT_SYMLINK_FOLLOW) !== 0, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof src === "number") return src;
  const to = parentAt(c, newDirfd, newPtr);
  if (typeof to === "number") return to;
  if (to.name === "") return -EEXIST;
  if (isDir(src.node.mode)) return -EPERM;
  if (src.node.fsId !== to.dir.node.fsId) return -EXDEV;
  return to.dir.node.link(to.name, src.node);
}
export const link = (c: Ctx, o: number, n: number) => linkat(c, AT_FDCWD, o, AT_FDCWD, n, 0);

export function symlinkat(c: Ctx, targetPtr: number, newDirfd: number, pathPtr: number): SysResult {
  const target = pathArg(c, targetPtr);
  if (typeof target === "number") return target;
  if (target === "") return -ENOENT;
  const p = parentAt(c, newDirfd, pathPtr);
  if (typeof p === "number") return p;
  if (p.name === "" || p.trailingSlash) return -EEXIST;
  return p.dir.node.symlink(p.name, target, who(c));
}
export const symlink = (c: Ctx, t: number, path: number) => symlinkat(c, t, AT_FDCWD, path);

// ---- attributes ----------------------------------------------------------------

export function fchmodat(c: Ctx, dirfd: number, pathPtr: number, mode: number): SysResult {
  const l = lookupAt(c, dirfd, pathPtr, true);
  return typeof l === "number" ? l : l.node.chmod(mode);
}
export const chmod = (c: Ctx, path: number, mode: number) => fchmodat(c, AT_FDCWD, path, mode);
export function fchmod(c: Ctx, fd: number, mode: number): SysResult {
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  return f.node ? f.node.chmod(mode) : 0;
}

export function fchownat(c: Ctx, dirfd: number, pathPtr: number, uid: number, gid: number, flags: number): SysResult {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const l = lookupAt(c, dirfd, pathPtr, !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  if (typeof l === "number") return l;
  if (c.p.creds.euid !== 0) return -EPERM;
  return l.node.chown(uid, gid);
}
export const chown = (c: Ctx, p: number, u: number, g: number) => fchownat(c, AT_FDCWD, p, u, g, 0);
export const lchown = (c: Ctx, p: number, u: number, g: number) => fchownat(c, AT_FDCWD, p, u, g, AT_SYMLINK_NOFOLLOW);
export function fchown(c: Ctx, fd: number, uid: number, gid: number): SysResult {
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  if (c.p.creds.euid !== 0) return -EPERM;
  return f.node ? f.node.chown(uid, gid) : 0;
}

export function truncate(c: Ctx, pathPtr: number, len: number): SysResult {
  if (len < 0) return -EINVAL;
  const l = lookupAt(c, AT_FDCWD, pathPtr, true);
  if (typeof l === "number") return l;
  if (isDir(l.node.mode)) return -EISDIR;
  return l.node.truncate(len);
}

export function ftruncate(c: Ctx, fd: number, len: number): SysResult {
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  if (len < 0 || !f.writable()) return -EINVAL;
  if (f.node && isDir(f.node.mode)) return -EISDIR;
  return f.truncate(len);
}
// i386 truncate64/ftruncate64: the length in two registers, low word first.
export const truncate64 = (c: Ctx, path: number, lo: number, hi: number) => truncate(c, path, (hi | 0) * 2 ** 32 + lo);
export const ftruncate64 = (c: Ctx, fd: number, lo: number, hi: number) => ftruncate(c, fd, (hi | 0) * 2 ** 32 + lo);

const UTIME_NOW = 0x3fffffff, UTIME_OMIT = 0x3ffffffe;

function utimens(c: Ctx, dirfd: number, pathPtr: number, timesPtr: number, flags: number, word: 4 | 8): SysResult {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const now = c.k.platform.nowMs();
  const t: Times = { atimeMs: now, mtimeMs: now };
  if (timesPtr) {
    const b = c.mem.read(timesPtr, 4 * word);
    if (!b) return -EFAULT;
    const dv = new DataView(b.buffer);
    const get = (i: number) => (word === 4 ? dv.getInt32(i * 4, true) : Number(dv.getBigInt64(i * 8, true)));
    for (const [i, key] of [[0, "atimeMs"], [2, "mtimeMs"]] as const) {
      const s = get(i), ns = get(i + 1);
      if (ns === UTIME_OMIT) t[key] = undefined;
      else if (ns === UTIME_NOW) t[key] = now;
      else if (ns < 0 || ns > 999999999) return -EINVAL;
      else t[key] = s * 1000 + ns / 1e6;
    }
  }
  let l: Loc | number;
  if (!pathPtr) {
    const f = c.p.fds.get(dirfd);
    if (!f) return -EBADF;
    if (!f.node) return 0;
    l = { node: f.node, path: f.path };
  } else {
    l = lookupAt(c, dirfd, pathPtr, !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  }
  if (typeof l === "number") return l;
  return t.atimeMs === undefined && t.mtimeMs === undefined ? 0 : l.node.utimes(t);
}

export const utimensat = (c: Ctx, d: number, p: number, t: number, f: number) => utimens(c, d, p, t, f, c.word);
// i386 utimensat_time64: 64-bit timespecs.
export const utimensat64 = (c: Ctx, d: number, p: number, t: number, f: number) => utimens(c, d, p, t, f, 8);
