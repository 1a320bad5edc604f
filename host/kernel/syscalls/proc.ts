// Process syscalls: fork/vfork/clone, execve, exit, the wait family
// (wait4, waitpid, waitid), getrusage, and process ids, groups and sessions.
import { CPU_FS_BASE } from "../../../assembly/layout.js";
import { E2BIG, EACCES, EAGAIN, EBADF, ECHILD, EFAULT, EINVAL, ENAMETOOLONG, ENOENT, ENOMEM, ENOSYS, EPERM, ESRCH } from "../errno.js";
import { BLOCKED } from "../fs/file.js";
import type { Process } from "../process.js";
import { takeStateChange } from "../signal/send.js";
import { SIGCHLD, SIGCONT } from "../signals.js";
import { encodeRusage } from "./structs.js";
import { installTls, readUserDesc } from "./tls.js";
import { NORETURN, type Ctx, type SysResult } from "./types.js";

const CSIGNAL = 0xff, CLONE_VM = 0x100, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000,
  CLONE_THREAD = 0x10000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
  CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000,
  CLONE_CHILD_SETTID = 0x1000000, CLONE_IO = 0x80000000;
// Flags whose meaning forkbox provides (or that change nothing without tracers, SysV semaphores or I/O classes).
const CLONE_SUPPORTED = CSIGNAL | CLONE_VM | CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT | CLONE_SYSVSEM | CLONE_SETTLS |
  CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED | CLONE_CHILD_SETTID | CLONE_IO;

const WNOHANG = 1, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x1000000, WNOTHREAD = 0x20000000,
  WALL = 0x40000000, WCLONE = 0x80000000;
const WAIT4_OPTIONS = WNOHANG | WSTOPPED | WCONTINUED | WNOTHREAD | WALL | WCLONE;
const WAITID_OPTIONS = WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | WNOTHREAD | WALL | WCLONE;
const P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;
const PATH_MAX = 4096;
const MAX_ARG_STRLEN = 32 * 4096;
const MAX_ARG_ROOM = 6 * 1024 * 1024; // bprm_stack_limits: never more than 3/4 of _STK_LIM

// Linux's kernel_clone, for the fork-like flag sets (threads need CLONE_THREAD support).
// clearSighand is clone3's CLONE_CLEAR_SIGHAND.
export function clone(c: Ctx, flags: number, newsp: number, ptid: number, ctid: number, tls: number,
  clearSighand = false): SysResult {
  const { k, p } = c;
  const core = k.core;
  flags >>>= 0;
  if (flags & CLONE_THREAD) {
    k.log("unsupported clone flag CLONE_THREAD (threads are not implemented)");
    return -ENOSYS;
  }
  if (flags & ~CLONE_SUPPORTED) {
    k.log(`unsupported clone flags 0x${((flags & ~CLONE_SUPPORTED) >>> 0).toString(16)} (shared files, fs or signal handlers, namespaces)`);
    return -EINVAL;
  }
  const parent = flags & CLONE_PARENT ? p.parent : p;
  if (!parent) return -EINVAL; // pid 1 cannot give its child a parent it does not have
  if (k.hooks.mayFork && !k.hooks.mayFork()) return -EAGAIN;
  let tlsDesc = null;
  if (flags & CLONE_SETTLS && p.abi.word === 4) {
    tlsDesc = readUserDesc(c, tls);
    if (typeof tlsDesc === "number") return tlsDesc;
  }
  const limit = k.forkLimit(p);
  if (limit) return -limit;
  const pid = k.allocPid();
  if (!pid) return -EAGAIN; // every pid below pid_max is taken
  const shareVm = (flags & CLONE_VM) !== 0;
  const as = shareVm ? p.as : core.x.addressSpaceClone(p.as);
  if (!as) return -ENOMEM;
  const cpu = core.x.cpuNew(p.abi.mode);
  if (!cpu) {
    if (!shareVm) core.x.addressSpaceFree(as);
    return -ENOMEM;
  }
  core.x.cpuCopy(cpu, p.cpu);
  const child = k.fork(p, parent, pid, cpu, as, shareVm);
  child.exitSignal = flags & CSIGNAL;
  if (clearSighand) child.sig.resetHandlers();
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

const CLONE_CLEAR_SIGHAND = 0x100000000n, CLONE_SIGHAND = 0x800n;
const CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_SIZE_VER2 = 88;

// clone3(struct clone_args *, size): the same clone, with the exit signal in its own field
// and the stack given as its lowest address and size. glibc's posix_spawn uses it first.
export function clone3(c: Ctx, argsPtr: number, size: number): SysResult {
  if (size < CLONE_ARGS_SIZE_VER0) return -EINVAL;
  if (size > 4096) return -E2BIG;
  const b = c.mem.read(argsPtr, size);
  if (!b) return -EFAULT;
  if (b.subarray(CLONE_ARGS_SIZE_VER2).some((x) => x !== 0)) return -E2BIG; // fields this kernel does not know
  const args = new Uint8Array(CLONE_ARGS_SIZE_VER2);
  args.set(b.subarray(0, CLONE_ARGS_SIZE_VER2));
  const dv = new DataView(args.buffer);
  const [flags, , childTid, parentTid, exitSignal, stack, stackSize, tls, , setTidSize] =
    Array.from({ length: 11 }, (_, i) => dv.getBigUint64(i * 8, true));
  if (flags & BigInt(CSIGNAL) || exitSignal > 64n) return -EINVAL;
  if ((stack === 0n) !== (stackSize === 0n)) return -EINVAL;
  if (flags & CLONE_CLEAR_SIGHAND && flags & CLONE_SIGHAND) return -EINVAL;
  const high = flags >> 32n & ~(CLONE_CLEAR_SIGHAND >> 32n);
  if (high || setTidSize) {
    c.k.log(`unsupported clone3 request (flags 0x${flags.toString(16)}, set_tid_size ${setTidSize})`);
    return -EINVAL;
  }
  const sp = stack ? Number(stack + stackSize) : 0;
  return clone(c, Number(flags & 0xffffffffn) | Number(exitSignal), sp, Number(parentTid), Number(childTid), Number(tls),
    (flags & CLONE_CLEAR_SIGHAND) !== 0n);
}

// A NULL-terminated array of string pointers (argv, envp); NULL means empty.
// A string longer than MAX_ARG_STRLEN is E2BIG, as copy_strings says, and so is
// anything past the largest room execve ever gives (so a huge array is not read whole).
function readStrings(c: Ctx, ptr: number): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (!ptr) return out;
  let total = 0;
  for (let i = 0; ; i++) {
    const s = c.mem.word(ptr + i * c.word, c.word);
    if (s === null) return -EFAULT;
    if (s === 0) return out;
    const b = c.mem.cstringBytes(s, MAX_ARG_STRLEN);
    if (!b) return c.mem.read(s, 1) ? -E2BIG : -EFAULT;
    total += 8 + b.length + 1;
    if (total > MAX_ARG_ROOM) return -E2BIG;
    out.push(b);
  }
}

// As Linux 6.8 and later: the file is looked up and opened before argv and envp are read.
export function execve(c: Ctx, pathPtr: number, argvPtr: number, envpPtr: number): SysResult {
  const pathBytes = c.mem.cstringBytes(pathPtr, PATH_MAX - 1);
  if (!pathBytes) return c.mem.read(pathPtr, 1) ? -ENAMETOOLONG : -EFAULT;
  if (pathBytes.length === 0) return -ENOENT;
  const path = new TextDecoder().decode(pathBytes);
  const f = c.k.openExec(c.p, path);
  if (typeof f === "number") return -f;
  const argv = readStrings(c, argvPtr);
  if (typeof argv === "number") return argv;
  const envp = readStrings(c, envpPtr);
  if (typeof envp === "number") return envp;
  if (argv.length === 0) argv.push(new Uint8Array(0)); // Linux 5.18+: an empty argv becomes { "" }
  const err = c.k.execFile(c.p, path, f, argv, envp);
  return err ? -err : NORETURN;
}

export function exit(c: Ctx, code: number): SysResult {
  c.k.exit(c.p, (code & 0xff) << 8);
  return NORETURN;
}

// ---- the wait family ------------------------------------------------------------

// Which children a wait is about: all of them, one pid, or one process group.
type Which = { kind: "all" } | { kind: "pid"; id: number } | { kind: "pgid"; id: number };

// eligible_child: the selector, then __WCLONE/__WALL against the child's exit signal.
function eligible(child: Process, which: Which, options: number): boolean {
  if (which.kind === "pid" && child.pid !== which.id) return false;
  if (which.kind === "pgid" && child.pgid !== which.id) return false;
  if (options & WALL) return true;
  return (child.exitSignal !== SIGCHLD) === ((options & WCLONE) !== 0);
}

// What a wait reports about a child: its wait status (exited, killed, stopped or continued).
interface Report { child: Process; status: number }

// do_wait, shared by wait4 and waitid: a zombie (reaped unless WNOWAIT) or a stop or
// continue to report, or 0 (WNOHANG), -ECHILD, or BLOCKED until a child changes state.
function waitChild(c: Ctx, which: Which, options: number): Report | SysResult {
  const { k, p } = c;
  let any = false;
  for (const child of p.children) {
    if (!eligible(child, which, options)) continue;
    any = true;
    if (child.state !== "zombie") {
      // Job control: a stop (WSTOPPED) or continue (WCONTINUED) not yet reported.
      const status = takeStateChange(child, options, (options & WNOWAIT) !== 0);
      if (status) return { child, status };
      continue;
    }
    if (!(options & WEXITED)) continue;
    if (!(options & WNOWAIT)) k.reap(child);
    return { child, status: child.waitStatus };
  }
  if (!any) return -ECHILD;
  if (options & WNOHANG) return 0;
  p.childEvent = () => k.wake(p);
  k.block(p, () => { p.childEvent = undefined; });
  return BLOCKED;
}

// struct rusage of a reaped child: its time and its own reaped descendants' time.
function childRusage(c: Ctx, child: Process): Uint8Array {
  return encodeRusage(child.cpuUsed + child.childCpu, child.voluntarySwitches, child.involuntarySwitches, c.word);
}

export function wait4(c: Ctx, pid: number, statusPtr: number, options: number, rusagePtr: number): SysResult {
  if ((options >>> 0) & ~WAIT4_OPTIONS) return -EINVAL;
  if (pid === -0x80000000) return -ESRCH; // INT_MIN cannot be negated into a group
  const which: Which = pid === -1 ? { kind: "all" } : pid < 0 ? { kind: "pgid", id: -pid }
    : pid === 0 ? { kind: "pgid", id: c.p.pgid } : { kind: "pid", id: pid };
  const r = waitChild(c, which, (options >>> 0) | WEXITED);
  if (typeof r !== "object") return r;
  let res = r.child.pid;
  if (statusPtr && !c.mem.writeU32(statusPtr, r.status)) res = -EFAULT;
  if (rusagePtr && !c.mem.write(rusagePtr, childRusage(c, r.child))) res = -EFAULT;
  return res;
}

export const waitpid = (c: Ctx, pid: number, statusPtr: number, options: number) => wait4(c, pid, statusPtr, options, 0);

// waitid fills a siginfo_t: signo, errno, code, then pid, uid and status in the union
// (at offset 12 on i386, 16 on x86-64). With WNOHANG and nothing to report, all zero.
export function waitid(c: Ctx, idtype: number, id: number, infop: number, options: number, rusagePtr: number): SysResult {
  options >>>= 0;
  if (options & ~WAITID_OPTIONS || !(options & (WEXITED | WSTOPPED | WCONTINUED))) return -EINVAL;
  let which: Which;
  if (idtype === P_ALL) which = { kind: "all" };
  else if (idtype === P_PID) {
    if (id <= 0) return -EINVAL;
    which = { kind: "pid", id };
  } else if (idtype === P_PGID) {
    if (id < 0) return -EINVAL;
    which = { kind: "pgid", id: id || c.p.pgid };
  } else if (idtype === P_PIDFD) return -EBADF; // pidfds do not exist here, so no fd is one
  else return -EINVAL;
  const r = waitChild(c, which, options);
  if (typeof r !== "object" && r !== 0) return r;
  if (rusagePtr && typeof r === "object" && !c.mem.write(rusagePtr, childRusage(c, r.child))) return -EFAULT;
  if (!infop) return 0;
  const u = c.word === 4 ? 12 : 16;
  const info = new Uint8Array(u + 12);
  const dv = new DataView(info.buffer);
  if (typeof r === "object") {
    const [code, status] = childCode(r.status);
    dv.setInt32(0, SIGCHLD, true);
    dv.setInt32(8, code, true);
    dv.setInt32(u, r.child.pid, true);
    dv.setUint32(u + 4, r.child.creds.uid, true);
    dv.setInt32(u + 8, status, true);
  }
  // Only these fields are written; the rest of the caller's siginfo_t stays as it was.
  return c.mem.write(infop, info.subarray(0, 12)) && c.mem.write(infop + u, info.subarray(u)) ? 0 : -EFAULT;
}

// A wait status as siginfo's si_code and si_status.
function childCode(st: number): [number, number] {
  const sig = st & 0x7f;
  if (st === 0xffff) return [CLD_CONTINUED, SIGCONT];
  if (sig === 0x7f) return [CLD_STOPPED, (st >> 8) & 0xff];
  if (sig === 0) return [CLD_EXITED, (st >> 8) & 0xff];
  return [st & 0x80 ? CLD_DUMPED : CLD_KILLED, sig];
}

const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

export function getrusage(c: Ctx, who: number, ptr: number): SysResult {
  const { k, p } = c;
  let r: Uint8Array;
  if (who === RUSAGE_SELF || who === RUSAGE_THREAD) {
    r = encodeRusage(k.cpuTime(p), p.voluntarySwitches, p.involuntarySwitches, c.word);
  } else if (who === RUSAGE_CHILDREN) r = encodeRusage(p.childCpu, 0, 0, c.word);
  else return -EINVAL;
  return c.mem.write(ptr, r) ? 0 : -EFAULT;
}

// ---- ids, process groups and sessions ------------------------------------------

export const getpid = (c: Ctx) => c.p.pid;
export const gettid = (c: Ctx) => c.p.pid;
export const getppid = (c: Ctx) => c.p.ppid;

export function setTidAddress(c: Ctx, ptr: number): SysResult {
  c.p.clearChildTid = ptr;
  return c.p.pid;
}

// A process by pid (0: the caller). Zombies count until they are reaped, as in Linux's pid hash.
function lookup(c: Ctx, pid: number): Process | undefined {
  return pid === 0 ? c.p : c.k.procs.get(pid);
}

export const getpgrp = (c: Ctx) => c.p.pgid;
export const getpgid = (c: Ctx, pid: number) => lookup(c, pid)?.pgid ?? -ESRCH;
export const getsid = (c: Ctx, pid: number) => lookup(c, pid)?.sid ?? -ESRCH;

// setpgid as kernel/sys.c: the caller or a child of it in the same session that has not
// exec'd; never a session leader; into a group that exists in the caller's session.
export function setpgid(c: Ctx, pid: number, pgid: number): SysResult {
  const { k, p } = c;
  if (pid === 0) pid = p.pid;
  if (pgid === 0) pgid = pid;
  if (pgid < 0) return -EINVAL;
  const t = k.procs.get(pid);
  if (!t) return -ESRCH;
  if (t.parent === p) {
    if (t.sid !== p.sid) return -EPERM;
    if (t.didExec) return -EACCES;
  } else if (t !== p) return -ESRCH;
  if (t.sid === t.pid) return -EPERM;
  if (pgid !== pid && ![...k.procs.values()].some((g) => g.pgid === pgid && g.sid === p.sid)) return -EPERM;
  t.pgid = pgid;
  return 0;
}

// A new session and process group led by the caller, unless it leads a group already.
export function setsid(c: Ctx): SysResult {
  const { k, p } = c;
  if (p.sid === p.pid) return -EPERM;
  for (const q of k.procs.values()) if (q.pgid === p.pid) return -EPERM;
  p.sid = p.pgid = p.pid;
  p.tty = null;
  return p.pid;
}
