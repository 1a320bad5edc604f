// The kernel: process table, the scheduler over run(task, budget), traps, and
// the process life cycle (fork, exec, exit, reaping).
import { CPU_AS, CPU_ICOUNT, REASON_BUDGET, REASON_INT80, REASON_SYSCALL } from "../../assembly/layout.js";
import type { Core } from "../core/core.js";
import { GuestMemory } from "../core/memory.js";
import { FORKBOX_SYSTEM } from "./syscalls/structs.js";
import type { HostSystem, Platform } from "../platform/platform.js";
import { parseElf } from "./elf.js";
import { E2BIG, EACCES, EAGAIN, ENOEXEC, ELOOP } from "./errno.js";
import { FdTable } from "./fs/fdtable.js";
import { HostOutput, StdioFile, StdinReader, STDIO_FLAGS } from "./fs/stdio.js";
import { buildVfs, findProgram, guestCwd, type MountSpec } from "./fs/setup.js";
import type { Vfs } from "./fs/vfs.js";
import { buildImage } from "./loader.js";
import { Process, ROOT_CREDENTIALS, type Credentials } from "./process.js";
import { deliverSignal } from "./signal/deliver.js";
import { raiseFault } from "./signal/fault.js";
import { cancelRealTimer } from "./signal/itimer.js";
import { childExited, dieIfDoomed, killProcess, sendSignal } from "./signal/send.js";
import { SI_KERNEL, SI_USER } from "./signal/siginfo.js";
import { SIGCHLD, SIGKILL, killStatus } from "./signals.js";
import { Tracer, type StraceSink } from "./strace/tracer.js";
import { dispatchSyscall } from "./syscalls/dispatch.js";
import { releaseMappings } from "./syscalls/mem.js";
import { Console } from "./tty/console.js";
import { Ptys } from "./tty/pty.js";
import { disassociate, hangup, killOrphanedPgrp, setCtty } from "./tty/session.js";
import { TtyFile, type TtyHost } from "./tty/tty.js";

export type FirstPolicy = "parent" | "child" | "random";

export interface KernelOptions {
  first?: FirstPolicy;
  seed?: number;
  slice?: number; // instructions per time slice
  strace?: StraceSink; // receives a line per syscall, signal and exit (--strace)
  maxProcs?: number; // processes (zombies included) the whole tree may hold; fork fails with EAGAIN beyond
  pidMax?: number; // /proc/sys/kernel/pid_max: pids stay below it and wrap (at least 301)
  root?: string; // host directory that is the guest's "/" (default: the host's "/", read-only)
  mounts?: MountSpec[];
}

// Optional observers of the life cycle (the embedding API's process tree and
// limits). Each is called synchronously; none may throw.
export interface KernelHooks {
  fork?(parent: Process, child: Process): void;
  exec?(p: Process): void;
  exit?(p: Process): void; // p is a zombie now, before its parent hears of it
  reap?(p: Process): void;
  slice?(p: Process): void; // after each time slice p ran
  mayFork?(): boolean; // false: fork fails with EAGAIN (a pids.max-like cap)
}

export interface KernelStats {
  processes: number;
  execs: number;
  contextSwitches: number;
  parentRanFirst: number;
  childRanFirst: number;
}

const S_IFMT = 0o170000, S_IFREG = 0o100000;
const TTY_FDS = [0, 1, 2];
const SIGCONT_HOST = 18, SIGWINCH_HOST = 28; // host signals the terminal handler also receives
const MAX_BINFMT_DEPTH = 5; // exec_binprm: a script may name a script, five deep, then ELOOP
const MAX_ARG_STRLEN = 32 * 4096; // one argument or environment string, with its NUL
const ARG_MAX = 32 * 4096; // the smallest room for strings, whatever RLIMIT_STACK says
const RLIMIT_STACK = 3, RLIMIT_NPROC = 6;
const PID_MAX_DEFAULT = 32768, RESERVED_PIDS = 300; // pids wrap to 300, as Linux's alloc_pid
// After pid 1 exits, runnable processes may run this many more instructions in all,
// so output they were about to write appears as it would natively; then they are killed.
const ORPHAN_GRACE = 50_000_000;

// What execve found at a path: its resolved guest path and the file's bytes.
export interface ExecFile { path: string; file: Uint8Array; }

export class Kernel implements TtyHost {
  readonly output: HostOutput;
  readonly procs = new Map<number, Process>();
  readonly stats: KernelStats = { processes: 0, execs: 0, contextSwitches: 0, parentRanFirst: 0, childRanFirst: 0 };
  private runQueue: Process[] = [];
  private runHead = 0;
  private lastPid = 0;
  private pidsWrapped = false;
  readonly pidMax: number;
  readonly maxProcs: number;
  private userProcs = new Map<number, number>(); // processes per real uid, for RLIMIT_NPROC
  private init: Process | null = null;
  private initExitedAt = -1; // instructions retired when pid 1 exited
  private live = 0;
  private hostWake: (() => void) | null = null;
  private hostWaits = 0; // blocked on host events (stdin, timers)
  private rng: number;
  readonly slice: number;
  readonly first: FirstPolicy;
  private current: Process | null = null; // the last process that ran (context switches)
  running: Process | null = null; // the process in runProcess right now
  readonly tracer: Tracer | null;
  readonly stdin: StdinReader;
  readonly console: Console | null; // the host terminal, when stdio is one
  readonly ptys: Ptys;
  readonly system: HostSystem; // uname's names
  readonly vfs: Vfs;
  private readonly root: string;
  hooks: KernelHooks = {};

  constructor(readonly core: Core, readonly platform: Platform, options: KernelOptions = {}) {
    this.output = new HostOutput(platform);
    this.slice = options.slice ?? 200_000;
    this.first = options.first ?? "parent";
    this.pidMax = Math.max(options.pidMax ?? PID_MAX_DEFAULT, RESERVED_PIDS + 1);
    this.maxProcs = options.maxProcs ?? Infinity;
    this.rng = (options.seed ?? 1) >>> 0 || 1;
    this.stdin = new StdinReader(platform, this.output, () => this.hostPending());
    const ttyFd = [1, 2, 0].find((fd) => platform.isatty(fd));
    this.console = ttyFd === undefined ? null : new Console(this, this.output, platform, ttyFd, () => this.takeTerminal());
    this.ptys = new Ptys(this, (t) => hangup(this, t));
    this.system = platform.system?.() ?? FORKBOX_SYSTEM;
    this.root = options.root ?? "/";
    const vfs = buildVfs(platform, this.root, options.mounts ?? [], () => this.procs,
      { tty: (flags, pid) => this.openTty(flags, pid), console: (flags) => this.openConsole(flags), ptys: this.ptys });
    if (typeof vfs === "string") throw new Error(vfs);
    this.vfs = vfs;
    this.tracer = options.strace ? new Tracer(core, options.strace) : null;
  }

  // One of the host's stdio streams as an open file: the console where it is a terminal.
  stdio(fd: number, flags = STDIO_FLAGS[fd]): StdioFile | TtyFile {
    if (this.console && this.platform.isatty(fd)) return new TtyFile(flags, this.console, fd);
    return new StdioFile(flags, fd, this.platform, this.output, this.stdin);
  }

  // /dev/tty: the caller's controlling terminal (ENXIO without one).
  private openTty(flags: number, pid: number): TtyFile | null {
    const tty = this.procs.get(pid)?.tty;
    return tty ? new TtyFile(flags, tty) : null;
  }

  private openConsole(flags: number): TtyFile | null {
    return this.console ? new TtyFile(flags, this.console) : null;
  }

  // kill_pgrp from the kernel (terminal keys, job-control checks, hangups, orphaned groups).
  signalGroup(pgid: number, sig: number): void {
    for (const t of [...this.procs.values()]) if (t.pgid === pgid) this.signalProcess(t, sig);
  }

  signalProcess(t: Process, sig: number): void {
    if (t.state === "zombie") return;
    sendSignal(this, t, { signo: sig, code: SI_KERNEL, kind: "kernel" });
    this.hostWake?.();
  }

  log(msg: string): void {
    this.output.write(2, new TextEncoder().encode(`forkbox: ${msg}\n`));
  }

  // Create pid 1 from a program on the host, with stdio wired to the host's.
  spawnInit(path: string, argv: string[], env: string[], creds?: Credentials): number {
    const fds = new FdTable();
    for (const fd of TTY_FDS) fds.install(this.stdio(fd), false);
    const c = creds ?? ROOT_CREDENTIALS;
    const cwd = guestCwd(this.root, this.platform.cwd());
    const p = new Process(this.allocPid(), null as never, 0, null as never, null as never, fds, cwd,
      { ...c, groups: [...c.groups] });
    const enc = new TextEncoder();
    const err = this.exec(p, path, argv.map((s) => enc.encode(s)), env.map((s) => enc.encode(s)));
    if (err) return err;
    // Its group and session lie outside the guest, as for init in a new pid namespace: both read as 0.
    p.pgid = p.sid = 0;
    if (this.console) setCtty(p, this.console);
    this.init = p;
    this.tracer?.spawned(p, path, argv);
    this.addProcess(p);
    this.enqueue(p);
    return 0;
  }

  private addProcess(p: Process): void {
    this.procs.set(p.pid, p);
    this.chargeUser(p.creds.uid, 1);
    this.live++;
    this.stats.processes++;
  }

  // Drop a process that nobody will wait for any more (reaped, or orphaned after pid 1).
  private release(p: Process, reaped = true): void {
    this.procs.delete(p.pid);
    this.chargeUser(p.creds.uid, -1);
    if (reaped) this.hooks.reap?.(p);
  }

  private chargeUser(uid: number, n: number): void {
    this.userProcs.set(uid, (this.userProcs.get(uid) ?? 0) + n);
  }

  // The real uid changes (setuid and friends): the process now counts against the new user.
  changeRealUid(p: Process, uid: number): void {
    this.chargeUser(p.creds.uid, -1);
    p.creds.uid = uid;
    this.chargeUser(uid, 1);
  }

  // The next free pid, increasing and wrapping to 300 at pid_max; 0 when every pid is taken.
  allocPid(): number {
    for (let tries = 0; tries < this.pidMax; tries++) {
      let pid = this.lastPid + 1;
      if (pid >= this.pidMax) {
        pid = RESERVED_PIDS;
        this.pidsWrapped = true;
      }
      this.lastPid = pid;
      if (!this.pidsWrapped || !this.pidInUse(pid)) return pid;
    }
    return 0;
  }

  // A pid is in use while a process, or a process group or session, carries it.
  private pidInUse(pid: number): boolean {
    if (this.procs.has(pid)) return true;
    for (const p of this.procs.values()) if (p.pgid === pid || p.sid === pid) return true;
    return false;
  }

  // Whether p may create another process: 0, or EAGAIN (RLIMIT_NPROC, --max-procs).
  forkLimit(p: Process): number {
    // As copy_process: the user's count includes zombies; root is exempt (CAP_SYS_RESOURCE).
    const privileged = p.creds.uid === 0 || p.creds.euid === 0;
    if (!privileged && (this.userProcs.get(p.creds.uid) ?? 0) >= p.limits[RLIMIT_NPROC][0]) return EAGAIN;
    if (this.procs.size >= this.maxProcs) return EAGAIN;
    return 0;
  }

  // CPU time of p in instructions: earlier images plus the current one.
  cpuTime(p: Process): number {
    return p.cpuUsed + (p.cpu ? this.core.u64(p.cpu + CPU_ICOUNT) - p.cpuBase : 0);
  }

  // ---- scheduling ----------------------------------------------------------

  enqueue(p: Process): void {
    this.runQueue.push(p);
  }

  private dequeue(): Process | null {
    while (this.runHead < this.runQueue.length) {
      const p = this.runQueue[this.runHead++];
      if (this.runHead > 4096 && this.runHead * 2 > this.runQueue.length) {
        this.runQueue = this.runQueue.slice(this.runHead);
        this.runHead = 0;
      }
      if (p.state === "runnable") return p;
    }
    return null;
  }

  // Park p until wake(p); `cancel` undoes its registration on whatever it waits for.
  // With restart, the syscall runs again when p wakes; without, its result is already set.
  block(p: Process, cancel: (() => void) | null = null, restart = true): void {
    p.state = "blocked";
    p.restartSyscall = restart;
    p.wakeup = cancel;
  }

  // Also resumes a stopped process (SIGCONT).
  wake(p: Process): void {
    if (p.state !== "blocked" && p.state !== "stopped") return;
    p.wakeup?.();
    p.wakeup = null;
    p.state = "runnable";
    this.enqueue(p);
    this.hostWake?.();
  }

  // A host event (stdin data, a timer) is outstanding until the returned function runs.
  hostPending(): () => void {
    this.hostWaits++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.hostWaits--;
      this.hostWake?.();
    };
  }

  // Whether ^C and friends can arrive from a host terminal (then nothing is a deadlock).
  private atTerminal = false;

  // Signals the host process gets as a job of the host's shell: SIGINT, SIGQUIT and SIGTSTP
  // sent to it (its terminal is raw, so keys arrive as input) go to the guest's foreground
  // group, as the console's keys do; SIGCONT resumes it after stopWithGuest; SIGWINCH is a
  // resize of the console.
  private terminalSignal(sig: number): void {
    const con = this.console;
    if (sig === SIGWINCH_HOST) { con?.refreshSize(); return; }
    if (sig === SIGCONT_HOST && con) {
      if (this.pumping) this.platform.setRawMode(true);
      else if (this.platform.isForeground()) this.takeTerminal();
    }
    const fg = con ? con.pgrp : this.init?.pgid;
    if (fg !== null && fg !== undefined) this.signalGroup(fg, sig);
    this.hostWake?.();
  }

  // The host terminal becomes the console's: raw, and read continuously. At once when
  // forkbox is in the foreground; from the background only once the guest reads it
  // (the host then stops forkbox with SIGTTIN or SIGTTOU, as it would the program).
  private pumping = false;
  private inRun = false; // run() is going on
  private takeTerminal(): void {
    const con = this.console;
    if (!con || this.pumping || !this.inRun || !this.platform.isatty(0)) return;
    this.pumping = true;
    this.platform.setRawMode(true);
    void con.pump(() => !this.inRun, () => { hangup(this, con); this.hostWake?.(); });
  }

  // At a terminal, a guest that is stopped as a whole stops forkbox, as the shell's job,
  // with the host terminal as forkbox found it.
  private stopWithGuest(): void {
    if (!this.atTerminal) return;
    const live = [...this.procs.values()].filter((t) => t.state !== "zombie");
    if (live.length === 0 || !live.every((t) => t.state === "stopped")) return;
    this.output.flush();
    if (this.pumping) this.platform.setRawMode(false);
    this.platform.stopSelf();
  }

  // Run every guest process to completion; resolves with pid 1's wait status.
  async run(): Promise<number> {
    const stopListening = this.platform.onTerminalSignal((sig) => this.terminalSignal(sig));
    this.atTerminal = stopListening !== null;
    this.inRun = true;
    const con = this.console;
    if (con && this.platform.isForeground()) this.takeTerminal();
    let lastYield = Date.now();
    let slices = 0;
    while (this.live > 0) {
      if (this.initExitedAt >= 0 && this.core.x.statRetired() - this.initExitedAt > ORPHAN_GRACE) {
        for (const p of [...this.procs.values()]) this.exit(p, killStatus(SIGKILL));
        break;
      }
      const p = this.dequeue();
      if (!p) {
        this.stopWithGuest();
        if (this.hostWaits === 0 && !this.atTerminal) {
          this.log("deadlock: every process is blocked with nothing left to wake it");
          break;
        }
        this.output.flush();
        // Only a terminal signal may come: a timer keeps the host's event loop alive for it.
        const keepAlive = this.hostWaits === 0 ? this.platform.setTimer(0x7fffffff, () => {}) : null;
        await new Promise<void>((r) => { this.hostWake = r; });
        keepAlive?.();
        this.hostWake = null;
        continue;
      }
      this.runProcess(p);
      this.hooks.slice?.(p);
      if ((++slices & 15) === 0 && Date.now() - lastYield > 20) {
        this.output.flush();
        await this.platform.yieldToHost();
        lastYield = Date.now();
      }
    }
    this.inRun = false;
    stopListening?.();
    this.output.flush();
    if (this.pumping) this.platform.setRawMode(false);
    return this.init?.waitStatus ?? 0;
  }

  private runProcess(p: Process): void {
    if (this.current !== p) this.stats.contextSwitches++;
    this.current = p;
    this.running = p;
    let budget = this.slice;
    const core = this.core;
    while (budget > 0 && p.state === "runnable") {
      if (dieIfDoomed(this, p)) break;
      if (p.restartSyscall) {
        // A woken syscall looks again first: a wait that can now complete does, signal or not.
        p.restartSyscall = false;
        dispatchSyscall(this, p);
        this.interruptIfSignalled(p);
        continue;
      }
      if (p.sig.deliverable) {
        deliverSignal(this, p);
        continue;
      }
      const before = core.u64(p.cpu + CPU_ICOUNT);
      const reason = core.run(p.cpu, budget);
      budget -= Math.max(1, core.u64(p.cpu + CPU_ICOUNT) - before);
      if (reason === REASON_BUDGET) break;
      this.trap(p, reason);
      this.interruptIfSignalled(p);
      if (this.yieldRequested) { this.yieldRequested = false; break; }
    }
    this.running = null;
    if (p.state === "runnable") {
      p.involuntarySwitches++;
      this.enqueue(p);
    } else if (p.state === "blocked" || p.state === "stopped") {
      p.voluntarySwitches++;
      // Once pid 1 is gone, a process that waits is killed rather than waited for.
      if (this.initExitedAt >= 0) killProcess(this, p, killStatus(SIGKILL));
    }
  }

  // A syscall that went to sleep with a signal already there is interrupted at once
  // (or, for sigtimedwait's own signals, runs again).
  private interruptIfSignalled(p: Process): void {
    if (p.state !== "blocked" || !p.restartSyscall || !p.sig.interruptsWait()) return;
    p.wakeup?.();
    p.wakeup = null;
    p.state = "runnable";
    if (p.sig.deliverable) deliverSignal(this, p);
  }

  // Set by sched_yield, and by fork under the "child first" policy: the caller gives up its slice.
  yieldRequested = false;

  private trap(p: Process, reason: number): void {
    if (reason === REASON_INT80 || reason === REASON_SYSCALL) dispatchSyscall(this, p);
    else raiseFault(this, p, reason);
  }

  // A host timer that counts as a possible wake-up until it fires or is cancelled.
  timer(ms: number, fn: () => void): () => void {
    this.hostWaits++;
    let armed = true;
    const cancel = this.platform.setTimer(ms, () => {
      if (!armed) return;
      armed = false;
      this.hostWaits--;
      fn();
      this.hostWake?.();
    });
    return () => {
      if (!armed) return;
      armed = false;
      this.hostWaits--;
      cancel();
    };
  }

  // ---- life cycle ------------------------------------------------------------

  // A new process with pid (from allocPid) on a copy of parent's CPU block; parent is the caller
  // of clone, reparent (CLONE_PARENT) the process whose child it becomes.
  fork(caller: Process, parent: Process, pid: number, cpu: number, as: number, shareVm: boolean): Process {
    const mem = shareVm ? caller.mem : new GuestMemory(this.core, as);
    if (shareVm) mem.users++;
    const child = new Process(pid, caller.abi, cpu, mem, shareVm ? caller.mm : caller.mm.clone(),
      caller.fds.clone(), caller.cwd, { ...caller.creds, groups: [...caller.creds.groups] },
      caller.limits.slice(), caller.sig.forkCopy()); // setrlimit replaces a pair, never changes one
    this.core.setU32(cpu + CPU_AS, mem.as);
    child.cpuBase = this.core.u64(cpu + CPU_ICOUNT);
    child.dumpable = caller.dumpable;
    child.noNewPrivs = caller.noNewPrivs;
    child.comm = caller.comm;
    child.childSubreaper = false; // not inherited: has_child_subreaper is, and the ancestor walk covers it
    child.parent = parent;
    child.pgid = caller.pgid;
    child.sid = caller.sid;
    child.tty = caller.tty;
    child.exe = caller.exe;
    child.argv = caller.argv;
    child.umask = caller.umask;
    child.nice = caller.nice;
    parent.children.add(child);
    this.addProcess(child);
    this.tracer?.forked(parent, child);
    this.hooks.fork?.(parent, child);
    const childFirst = this.first === "child" || (this.first === "random" && this.random() < 0.5);
    if (childFirst) {
      this.stats.childRanFirst++;
      this.runQueue.splice(this.runHead, 0, child);
      this.yieldRequested = true;
    } else {
      this.stats.parentRanFirst++;
      this.enqueue(child);
    }
    return child;
  }

  private random(): number {
    // xorshift32: reproducible for a given --first random:SEED
    let x = this.rng;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.rng = x;
    return x / 0x100000000;
  }

  // The file execve would run: ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP from the lookup,
  // EACCES for anything but an executable regular file.
  openExec(p: Process, path: string): ExecFile | number {
    const prog = findProgram(this.vfs, p, path);
    if (typeof prog === "number") return prog;
    const st = prog.st;
    if ((st.mode & S_IFMT) !== S_IFREG || !mayExecute(p.creds, st.mode, st.uid, st.gid)) return EACCES;
    const file = prog.read();
    return typeof file === "number" ? file : { path: prog.path, file };
  }

  // Replace p's image with the program at path. Returns 0, or a positive errno with p untouched.
  exec(p: Process, path: string, argv: Uint8Array[], envp: Uint8Array[]): number {
    const f = this.openExec(p, path);
    return typeof f === "number" ? f : this.execFile(p, path, f, argv, envp);
  }

  // execve once the file is open: path is the name as given (AT_EXECFN); name is the file's
  // own name, which differs from path for the interpreter of a script (a script's argument).
  execFile(p: Process, path: string, f: ExecFile, argv: Uint8Array[], envp: Uint8Array[], name = path, depth = 0): number {
    if (depth > MAX_BINFMT_DEPTH) return ELOOP;
    if (!this.argsFit(p, path, argv, envp)) return E2BIG;
    const { file } = f;
    if (file[0] === 0x23 && file[1] === 0x21) return this.execScript(p, path, name, file, argv, envp, depth);
    const elf = parseElf(file);
    if (typeof elf === "number") return elf;
    const random = new Uint8Array(16);
    this.platform.randomBytes(random);
    const interp = elf.interp === null ? null : this.openExec(p, elf.interp);
    if (typeof interp === "number") return interp;
    const img = buildImage(this.core, file, elf, { execfn: path, argv, envp, creds: p.creds, hwcap: 0x8111, random }, interp);
    if (typeof img === "number") return img;
    const vforkParent = p.vforkParent;
    if (p.cpu) this.releaseMemory(p);
    p.abi = img.abi;
    p.cpu = img.cpu;
    p.cpuBase = this.core.u64(img.cpu + CPU_ICOUNT);
    p.mem = img.mem;
    p.mm = img.mm;
    p.exe = f.path;
    p.argv = argv.map((a) => new TextDecoder().decode(a));
    p.didExec = true;
    p.comm = new TextEncoder().encode(path.slice(path.lastIndexOf("/") + 1)).subarray(0, 15);
    p.fds.closeOnExec();
    p.sig.onExec();
    p.rseq = 0;
    p.robustList = 0;
    p.clearChildTid = 0;
    if (vforkParent) this.wake(vforkParent);
    this.stats.execs++;
    this.hooks.exec?.(p);
    return 0;
  }

  // bprm_stack_limits and copy_strings: each string (with its NUL) at most 32 pages; all of
  // them, the file name and one pointer each at most a quarter of RLIMIT_STACK (at least 32 pages).
  private argsFit(p: Process, path: string, argv: Uint8Array[], envp: Uint8Array[]): boolean {
    const limit = Math.max(Math.min(6 * 1024 * 1024, p.limits[RLIMIT_STACK][0] / 4), ARG_MAX);
    let total = (Math.max(argv.length, 1) + envp.length) * 8 + new TextEncoder().encode(path).length + 1;
    for (const s of [argv, envp]) {
      for (const a of s) {
        if (a.length + 1 > MAX_ARG_STRLEN) return false;
        total += a.length + 1;
      }
    }
    return total <= limit;
  }

  // "#!interpreter [one argument]": run the interpreter with the script's path, as binfmt_script.
  private execScript(p: Process, path: string, name: string, file: Uint8Array, argv: Uint8Array[], envp: Uint8Array[],
    depth: number): number {
    const BINPRM_BUF_SIZE = 256;
    const head = file.subarray(0, BINPRM_BUF_SIZE);
    let nl = head.indexOf(0x0a);
    if (nl < 0) nl = head.length;
    const line = new TextDecoder().decode(head.subarray(2, nl)).replace(/^[ \t]+/, "").replace(/[ \t]+$/, "");
    if (!line) return ENOEXEC;
    const sp = line.search(/[ \t]/);
    const interp = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? "" : line.slice(sp).replace(/^[ \t]+/, "");
    const enc = new TextEncoder();
    const newArgv = [enc.encode(interp), ...(arg ? [enc.encode(arg)] : []), enc.encode(name), ...argv.slice(1)];
    const f = this.openExec(p, interp);
    if (typeof f === "number") return f;
    return this.execFile(p, path, f, newArgv, envp, interp, depth + 1);
  }

  // Let go of p's CPU block and address space (the space stays while a vfork or CLONE_VM sharer uses it).
  private releaseMemory(p: Process): void {
    p.cpuUsed += this.core.u64(p.cpu + CPU_ICOUNT) - p.cpuBase;
    p.vforkParent = null;
    this.core.x.cpuFree(p.cpu);
    p.cpu = 0;
    if (--p.mem.users === 0) {
      releaseMappings(p);
      this.core.x.addressSpaceFree(p.mem.as);
    }
  }

  // The process ends with a wait status (exit code << 8, or a signal).
  exit(p: Process, status: number): void {
    if (p.state === "zombie") return;
    this.tracer?.exited(p, status);
    p.wakeup?.(); // killed while waiting: take it off what it waited on
    p.wakeup = null;
    if (p.clearChildTid && p.mem.users > 1) p.mem.writeU32(p.clearChildTid, 0);
    p.fds.closeAll();
    const vforkParent = p.vforkParent;
    this.releaseMemory(p);
    if (vforkParent) this.wake(vforkParent);
    cancelRealTimer(p);
    p.state = "zombie";
    p.waitStatus = status;
    this.live--;
    if (p.sid === p.pid) disassociate(this, p, true);
    const reaper = this.reaperFor(p);
    const children = [...p.children];
    p.children.clear();
    for (const c of children) this.reparent(c, reaper);
    // Groups this exit leaves orphaned that have stopped members get SIGHUP and SIGCONT.
    for (const c of children) killOrphanedPgrp(this, c, p);
    killOrphanedPgrp(this, p, null);
    this.hooks.exit?.(p);
    if (p.parent) this.notifyParent(p);
    else this.release(p, p !== this.init); // pid 1's status goes to whoever spawned it
    if (p === this.init) this.initExited();
  }

  // A signal from outside the machine (the embedding API's kill and limits), sent
  // as from another pid namespace (si_pid 0); then let a waiting run() notice.
  hostSignal(p: Process, sig: number): void {
    sendSignal(this, p, { signo: sig, code: SI_USER, kind: "kill", pid: 0, uid: 0 });
    this.hostWake?.();
  }

  // Orphans go to the nearest living subreaper ancestor, else to pid 1 while it lives.
  private reaperFor(p: Process): Process | null {
    for (let a = p.parent; a; a = a.parent) if (a.childSubreaper && a.state !== "zombie") return a;
    return this.init && this.init !== p && this.init.state !== "zombie" ? this.init : null;
  }

  private reparent(c: Process, reaper: Process | null): void {
    c.parent = reaper;
    c.exitSignal = SIGCHLD; // reparent_leader: "we don't want people slaying init"
    if (!reaper) {
      if (c.state === "zombie") this.release(c);
      return;
    }
    reaper.children.add(c);
    if (c.state === "zombie") this.notifyParent(c);
  }

  // pid 1 is gone: whatever waits is killed now; the runnable may finish within ORPHAN_GRACE.
  private initExited(): void {
    this.initExitedAt = this.core.x.statRetired();
    for (const q of [...this.procs.values()]) {
      if (q.state === "blocked" || q.state === "stopped") killProcess(this, q, killStatus(SIGKILL));
    }
  }

  // SIGCHLD and a wake-up for the parent; no zombie if it ignores SIGCHLD or set SA_NOCLDWAIT.
  private notifyParent(child: Process): void {
    if (childExited(this, child)) this.reap(child);
  }

  // Remove a reaped zombie; its CPU time joins the parent's children's time.
  reap(child: Process): void {
    if (child.parent) child.parent.childCpu += child.cpuUsed + child.childCpu;
    child.parent?.children.delete(child);
    this.release(child);
  }
}

// Execute permission as generic_permission: root needs any x bit; others the bit of their class.
function mayExecute(c: Credentials, mode: number, uid: number, gid: number): boolean {
  if (c.fsuid === 0) return (mode & 0o111) !== 0;
  if (c.fsuid === uid) return (mode & 0o100) !== 0;
  if (c.fsgid === gid || c.groups.includes(gid)) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

declare module "./process.js" {
  interface Process {
    // Called when a child changes state, to wake a parent blocked in wait.
    childEvent?: () => void;
  }
}
