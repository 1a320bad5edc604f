// Credentials: real, effective, saved and filesystem uids and gids and the
// supplementary groups, with kernel/sys.c's rules for who may change what.
// Privilege (CAP_SETUID, CAP_SETGID) is an effective uid of 0: Linux drops
// the effective capabilities when euid leaves 0 and restores them when it
// returns, which only a process with 0 among its uids can do.
// i386's original calls use 16-bit ids; the *32 calls and x86-64 use 32 bits.
import { EFAULT, EINVAL, EPERM } from "../errno.js";
import type { Credentials, Process } from "../process.js";
import type { Ctx, SysResult } from "./types.js";

const NONE = 0xffffffff; // (uid_t)-1: leave this id as it is
const NGROUPS_MAX = 65536;
const OVERFLOW_ID = 65534; // what a 16-bit call reports for an id that does not fit

const privileged = (p: Process) => p.creds.euid === 0;

// Apply new ids. The real uid goes through the kernel, which counts processes per user
// (RLIMIT_NPROC); a change of effective or fs ids clears dumpable, as commit_creds does.
function commit(c: Ctx, next: Credentials): void {
  const old = c.p.creds;
  if (next.euid !== old.euid || next.egid !== old.egid || next.fsuid !== old.fsuid || next.fsgid !== old.fsgid) {
    c.p.dumpable = 0;
  }
  const ruid = next.uid;
  next.uid = old.uid;
  c.p.creds = next;
  if (ruid !== old.uid) c.k.changeRealUid(c.p, ruid);
}

type Kind = "u" | "g";
// [real, effective, saved] of one kind, and writing them back with fs following effective.
const ids = (cr: Credentials, k: Kind) => (k === "u" ? [cr.uid, cr.euid, cr.suid] : [cr.gid, cr.egid, cr.sgid]);
function withIds(cr: Credentials, k: Kind, r: number, e: number, s: number): Credentials {
  return k === "u" ? { ...cr, uid: r, euid: e, suid: s, fsuid: e } : { ...cr, gid: r, egid: e, sgid: s, fsgid: e };
}

// setuid/setgid: privileged sets all three; otherwise only the effective id, to the real or saved one.
function setOne(c: Ctx, k: Kind, id: number): SysResult {
  if (id === NONE) return -EINVAL;
  const [r, , s] = ids(c.p.creds, k);
  if (privileged(c.p)) commit(c, withIds(c.p.creds, k, id, id, id));
  else if (id === r || id === s) commit(c, withIds(c.p.creds, k, r, id, s));
  else return -EPERM;
  return 0;
}

// setreuid/setregid: the saved id follows the effective one when the real id is set,
// or when the effective id is set to something other than the old real id.
function setRe(c: Ctx, k: Kind, nr: number, ne: number): SysResult {
  const [r, e, s] = ids(c.p.creds, k);
  const priv = privileged(c.p);
  if (nr !== NONE && !priv && nr !== r && nr !== e) return -EPERM;
  if (ne !== NONE && !priv && ne !== r && ne !== e && ne !== s) return -EPERM;
  const r2 = nr === NONE ? r : nr;
  const e2 = ne === NONE ? e : ne;
  const s2 = nr !== NONE || (ne !== NONE && ne !== r) ? e2 : s;
  commit(c, withIds(c.p.creds, k, r2, e2, s2));
  return 0;
}

// setresuid/setresgid: unprivileged, each new id must be one of the three current ones.
function setRes(c: Ctx, k: Kind, nr: number, ne: number, ns: number): SysResult {
  const cur = ids(c.p.creds, k);
  if (!privileged(c.p) && [nr, ne, ns].some((v) => v !== NONE && !cur.includes(v))) return -EPERM;
  const [r, e, s] = cur;
  commit(c, withIds(c.p.creds, k, nr === NONE ? r : nr, ne === NONE ? e : ne, ns === NONE ? s : ns));
  return 0;
}

// setfsuid/setfsgid return the old id whether or not they change it.
function setFs(c: Ctx, k: Kind, id: number): number {
  const cr = c.p.creds;
  const old = k === "u" ? cr.fsuid : cr.fsgid;
  if (id !== NONE && (privileged(c.p) || [...ids(cr, k), old].includes(id))) {
    commit(c, k === "u" ? { ...cr, fsuid: id } : { ...cr, fsgid: id });
  }
  return old;
}

function getRes(c: Ctx, k: Kind, ptrs: number[], size: 2 | 4): SysResult {
  const v = ids(c.p.creds, k);
  for (let i = 0; i < 3; i++) {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    if (size === 2) dv.setUint16(0, low(v[i]), true);
    else dv.setUint32(0, v[i], true);
    if (!c.mem.write(ptrs[i], b)) return -EFAULT;
  }
  return 0;
}

function getGroups(c: Ctx, size: number, list: number, width: 2 | 4): SysResult {
  const g = c.p.creds.groups;
  if (size < 0) return -EINVAL;
  if (size === 0) return g.length;
  if (size < g.length) return -EINVAL;
  const b = new Uint8Array(g.length * width);
  const dv = new DataView(b.buffer);
  g.forEach((v, i) => (width === 2 ? dv.setUint16(i * 2, low(v), true) : dv.setUint32(i * 4, v, true)));
  return c.mem.write(list, b) ? g.length : -EFAULT;
}

function setGroups(c: Ctx, size: number, list: number, width: 2 | 4): SysResult {
  if (size < 0 || size > NGROUPS_MAX) return -EINVAL;
  if (!privileged(c.p)) return -EPERM;
  const b = c.mem.read(list, size * width);
  if (!b) return -EFAULT;
  const dv = new DataView(b.buffer);
  const g = Array.from({ length: size }, (_, i) => (width === 2 ? high(dv.getUint16(i * 2, true)) : dv.getUint32(i * 4, true)));
  c.p.creds = { ...c.p.creds, groups: [...new Set(g)].sort((a, z) => a - z) };
  return 0;
}

// 16-bit ids: 0xffff as an argument means -1; an id above 0xffff reads as the overflow id.
const high = (id: number) => ((id & 0xffff) === 0xffff ? NONE : id & 0xffff);
const low = (id: number) => (id > 0xffff ? OVERFLOW_ID : id);

export const getuid = (c: Ctx) => c.p.creds.uid;
export const geteuid = (c: Ctx) => c.p.creds.euid;
export const getgid = (c: Ctx) => c.p.creds.gid;
export const getegid = (c: Ctx) => c.p.creds.egid;
export const setuid = (c: Ctx, id: number) => setOne(c, "u", id);
export const setgid = (c: Ctx, id: number) => setOne(c, "g", id);
export const setreuid = (c: Ctx, r: number, e: number) => setRe(c, "u", r, e);
export const setregid = (c: Ctx, r: number, e: number) => setRe(c, "g", r, e);
export const setresuid = (c: Ctx, r: number, e: number, s: number) => setRes(c, "u", r, e, s);
export const setresgid = (c: Ctx, r: number, e: number, s: number) => setRes(c, "g", r, e, s);
export const getresuid = (c: Ctx, r: number, e: number, s: number) => getRes(c, "u", [r, e, s], 4);
export const getresgid = (c: Ctx, r: number, e: number, s: number) => getRes(c, "g", [r, e, s], 4);
export const setfsuid = (c: Ctx, id: number) => setFs(c, "u", id);
export const setfsgid = (c: Ctx, id: number) => setFs(c, "g", id);
export const getgroups = (c: Ctx, size: number, list: number) => getGroups(c, size, list, 4);
export const setgroups = (c: Ctx, size: number, list: number) => setGroups(c, size, list, 4);

// i386's 16-bit originals.
export const getuid16 = (c: Ctx) => low(c.p.creds.uid);
export const geteuid16 = (c: Ctx) => low(c.p.creds.euid);
export const getgid16 = (c: Ctx) => low(c.p.creds.gid);
export const getegid16 = (c: Ctx) => low(c.p.creds.egid);
export const setuid16 = (c: Ctx, id: number) => setOne(c, "u", high(id));
export const setgid16 = (c: Ctx, id: number) => setOne(c, "g", high(id));
export const setreuid16 = (c: Ctx, r: number, e: number) => setRe(c, "u", high(r), high(e));
export const setregid16 = (c: Ctx, r: number, e: number) => setRe(c, "g", high(r), high(e));
export const setresuid16 = (c: Ctx, r: number, e: number, s: number) => setRes(c, "u", high(r), high(e), high(s));
export const setresgid16 = (c: Ctx, r: number, e: number, s: number) => setRes(c, "g", high(r), high(e), high(s));
export const getresuid16 = (c: Ctx, r: number, e: number, s: number) => getRes(c, "u", [r, e, s], 2);
export const getresgid16 = (c: Ctx, r: number, e: number, s: number) => getRes(c, "g", [r, e, s], 2);
export const setfsuid16 = (c: Ctx, id: number) => low(setFs(c, "u", high(id)));
export const setfsgid16 = (c: Ctx, id: number) => low(setFs(c, "g", high(id)));
export const getgroups16 = (c: Ctx, size: number, list: number) => getGroups(c, size, list, 2);
export const setgroups16 = (c: Ctx, size: number, list: number) => setGroups(c, size, list, 2);
