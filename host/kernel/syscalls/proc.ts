// Process syscalls: fork/vfork/clone, execve, exit, wait4/waitpid, ids.
import { CPU_FS_BASE } from "../../../assembly/layout.js";
import { E2BIG, ECHILD, EFAULT, EINVAL, ENAMETOOLONG, ENOENT, ENOMEM, ENOSYS, ESRCH } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import type { Process } from "../process.js";
import { takeStateChange } from "../signal/send.js";
import { SIGCHLD } from "../signals.js";
import { rusageSize } from "./structs.js";
import { installTls, readUserDesc } from "./tls.js";
import { NORETURN, type Ctx, type SysResult } from "./types.js";

const CLONE_VM = 0x100, CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000,
  CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;

const WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8, WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
const PATH_MAX = 4096;
const MAX_ARGS = 0x7fffffff;

// Linux's kernel_clone, for the fork-like flag sets (threads need CLONE_THREAD support).
export function clone(c: Ctx, flags: number, newsp: number, ptid: number, ctid: number, tls: number): SysResult {
  const { k, p } = c;
  const core = k.core;
  if (flags & CLONE_THREAD) {
    k.log("unsupported clone flag CLONE_THREAD (threads are not implemented)");
    return -ENOSYS;
  }
  let tlsDesc = null;
  if (flags & CLONE_SETTLS && p.abi.word === 4) {
    tlsDesc = readUserDesc(c, tls);
    if (typeof tlsDesc === "number") return tlsDesc;
  }
  const shareVm = (flags & CLONE_VM) !== 0;
  const as = shareVm ? p.as : core.x.addressSpaceClone(p.as);
  if (!as) return -ENOMEM;
  const cpu = core.x.cpuNew(p.abi.mode);
  if (!cpu) {
    if (!shareVm) core.x.addressSpaceFree(as);
    return -ENOMEM;
  }
  core.x.cpuCopy(cpu, p.cpu);
  const child = k.fork(p, cpu, as, shareVm);
  child.exitSignal = flags & 0xff;
  core.setReg(cpu, 0, 0);
  if (newsp) core.setReg(cpu, 4, newsp);
  if (tlsDesc) installTls(core, cpu, tlsDesc);
  else if (flags & CLONE_SETTLS) core.setU64(cpu + CPU_FS_BASE, tls);
  if (flags & CLONE_PARENT_SETTID) p.mem.writeU32(ptid, child.pid);
  if (flags & CLONE_CHILD_SETTID) child.mem.writeU32(ctid, child.pid);
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = ctid;
  if (flags & CLONE_VFORK) {
    // The parent sleeps until the child execs or exits; its return value is ready now.
    child.vforkParent = p;
    core.setReg(p.cpu, 0, child.pid);
    k.block(p, null, false);
    return NORETURN;
  }
  return child.pid;
}

export const fork = (c: Ctx) => clone(c, SIGCHLD, 0, 0, 0, 0);
export const vfork = (c: Ctx) => clone(c, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
// i386 passes tls before child_tid.
export const cloneI386 = (c: Ctx, flags: number, sp: number, ptid: number, tls: number, ctid: number) =>
  clone(c, flags, sp, ptid, ctid, tls);

// A NULL-terminated array of string pointers (argv, envp); NULL means empty.
function readStrings(c: Ctx, ptr: number): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (!ptr) return out;
  for (let i = 0; i < MAX_ARGS; i++) {
    const s = c.mem.word(ptr + i * c.word, c.word);
    if (s === null) return -EFAULT;
    if (s === 0) return out;
    const b = c.mem.cstringBytes(s, 32 * 4096);
    if (!b) return c.mem.read(s, 1) ? -E2BIG : -EFAULT;
    out.push(b);
  }
  return -E2BIG;
}

export function execve(c: Ctx, pathPtr: number, argvPtr: number, envpPtr: number): SysResult {
  const path = c.mem.cstringBytes(pathPtr, PATH_MAX - 1);
  if (!path) return c.mem.read(pathPtr, 1) ? -ENAMETOOLONG : -EFAULT;
  if (path.length === 0) return -ENOENT;
  const argv = readStrings(c, argvPtr);
  if (typeof argv === "number") return argv;
  const envp = readStrings(c, envpPtr);
  if (typeof envp === "number") return envp;
  const err = c.k.exec(c.p, new TextDecoder().decode(path), argv, envp);
  return err ? -err : NORETURN;
}

export function exit(c: Ctx, code: number): SysResult {
  c.k.exit(c.p, (code & 0xff) << 8);
  return NORETURN;
}

function matches(p: Process, child: Process, pid: number, options: number): boolean {
  if (pid > 0 ? child.pid !== pid : pid === 0 ? child.pgid !== p.pgid : pid < -1 ? child.pgid !== -pid : false) return false;
  if (options & WALL) return true;
  return ((child.exitSignal === SIGCHLD) !== ((options & WCLONE) !== 0));
}

export function wait4(c: Ctx, pid: number, statusPtr: number, options: number, rusagePtr: number): SysResult {
  const { k, p } = c;
  if ((options >>> 0) & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE) >>> 0) return -EINVAL;
  if (pid === -0x80000000) return -ESRCH; // INT_MIN cannot be negated into a group
  let any = false;
  for (const child of p.children) {
    if (!matches(p, child, pid, options)) continue;
    any = true;
    if (child.state !== "zombie") {
      // Job control: a stop (WUNTRACED) or continue (WCONTINUED) not yet reported.
      const change = takeStateChange(child, options);
      if (!change) continue;
      if (statusPtr && !c.mem.writeU32(statusPtr, change)) return -EFAULT;
      if (rusagePtr && !c.mem.write(rusagePtr, new Uint8Array(rusageSize(c.word)))) return -EFAULT;
      return child.pid;
    }
    k.reap(child);
    let res = child.pid;
    if (statusPtr && !c.mem.writeU32(statusPtr, child.waitStatus)) res = -EFAULT;
    if (rusagePtr && !c.mem.write(rusagePtr, new Uint8Array(rusageSize(c.word)))) res = -EFAULT;
    return res;
  }
  if (!any) return -ECHILD;
  if (options & WNOHANG) return 0;
  p.childEvent = () => k.wake(p);
  k.block(p, () => { p.childEvent = undefined; });
  return BLOCKED;
}

export const waitpid = (c: Ctx, pid: number, statusPtr: number, options: number) => wait4(c, pid, statusPtr, options, 0);

export const getpid = (c: Ctx) => c.p.pid;
export const gettid = (c: Ctx) => c.p.pid;
export const getppid = (c: Ctx) => c.p.ppid;

export function setTidAddress(c: Ctx, ptr: number): SysResult {
  c.p.clearChildTid = ptr;
  return c.p.pid;
}
