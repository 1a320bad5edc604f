// The kernel: process table, the scheduler over run(task, budget), traps, and
// the process life cycle (fork, exec, exit, reaping).
import { CPU_AS, CPU_ICOUNT, REASON_BUDGET, REASON_INT80, REASON_SYSCALL } from "../../assembly/layout.js";
import type { Core } from "../core/core.js";
import { GuestMemory } from "../core/memory.js";
import type { Platform } from "../platform/platform.js";
import { parseElf } from "./elf.js";
import { EACCES, ENOENT, ENOEXEC, ELOOP } from "./errno.js";
import { FdTable } from "./fs/fdtable.js";
import { HostOutput, StdinFile, StdoutFile } from "./fs/stdio.js";
import { resolvePath } from "./fs/path.js";
import { buildImage } from "./loader.js";
import { Process, type Credentials } from "./process.js";
import { deliverSignal } from "./signal/deliver.js";
import { raiseFault } from "./signal/fault.js";
import { cancelRealTimer } from "./signal/itimer.js";
import { childExited, sendSignal } from "./signal/send.js";
import { SI_KERNEL } from "./signal/siginfo.js";
import { dispatchSyscall } from "./syscalls/dispatch.js";

export type FirstPolicy = "parent" | "child" | "random";

export interface KernelOptions {
  first?: FirstPolicy;
  seed?: number;
  slice?: number; // instructions per time slice
}

export interface KernelStats {
  processes: number;
  execs: number;
  contextSwitches: number;
  parentRanFirst: number;
  childRanFirst: number;
}

const S_IXUSR = 0o100, S_IFMT = 0o170000, S_IFREG = 0o100000, S_IFDIR = 0o040000;
const MAX_INTERP_DEPTH = 4; // nested #! scripts, as Linux's BINPRM_MAX_RECURSION

export class Kernel {
  readonly output: HostOutput;
  readonly procs = new Map<number, Process>();
  readonly stats: KernelStats = { processes: 0, execs: 0, contextSwitches: 0, parentRanFirst: 0, childRanFirst: 0 };
  private runQueue: Process[] = [];
  private runHead = 0;
  private nextPid = 1;
  private init: Process | null = null;
  private live = 0;
  private hostWake: (() => void) | null = null;
  private hostWaits = 0; // blocked on host events (stdin, timers)
  private rng: number;
  readonly slice: number;
  readonly first: FirstPolicy;
  private current: Process | null = null;
  private stdin: StdinFile;

  constructor(readonly core: Core, readonly platform: Platform, options: KernelOptions = {}) {
    this.output = new HostOutput(platform);
    this.slice = options.slice ?? 200_000;
    this.first = options.first ?? "parent";
    this.rng = (options.seed ?? 1) >>> 0 || 1;
    this.stdin = new StdinFile(platform, this.output, () => this.currentMem());
  }

  private currentMem(): GuestMemory {
    if (!this.current) throw new Error("no current process");
    return this.current.mem;
  }

  log(msg: string): void {
    this.output.write(2, new TextEncoder().encode(`forkbox: ${msg}\n`));
  }

  // Create pid 1 from a program on the host, with stdio wired to the host's.
  spawnInit(path: string, argv: string[], env: string[], creds?: Credentials): number {
    const fds = new FdTable();
    fds.install(this.stdin, false);
    fds.install(new StdoutFile(1, this.platform, this.output, () => this.currentMem()), false);
    fds.install(new StdoutFile(2, this.platform, this.output, () => this.currentMem()), false);
    const c = creds ?? { uid: 0, euid: 0, suid: 0, gid: 0, egid: 0, sgid: 0 };
    const p = new Process(this.nextPid++, null as never, 0, null as never, null as never, fds, this.platform.cwd(), c);
    const enc = new TextEncoder();
    const err = this.exec(p, path, argv.map((s) => enc.encode(s)), env.map((s) => enc.encode(s)));
    if (err) return err;
    this.init = p;
    this.addProcess(p);
    this.enqueue(p);
    return 0;
  }

  private addProcess(p: Process): void {
    this.procs.set(p.pid, p);
    this.live++;
    this.stats.processes++;
  }

  allocPid(): number { return this.nextPid++; }

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

  // A wake-up that comes from the host (stdin data, a timer) for a blocked process.
  hostCallback(p: Process): () => void {
    this.hostWaits++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.hostWaits--;
      this.wake(p);
      this.hostWake?.();
    };
  }

  // Whether ^C and friends can arrive from a host terminal (then nothing is a deadlock).
  private terminal = false;

  // ^C, ^\\, ^Z (and the host's SIGCONT after it) go to the guest's foreground process
  // group, pid 1's.
  private terminalSignal(sig: number): void {
    const fg = this.init?.pgid;
    for (const t of this.procs.values()) {
      if (t.pgid === fg && t.state !== "zombie") sendSignal(this, t, { signo: sig, code: SI_KERNEL, kind: "kernel" });
    }
    this.hostWake?.();
  }

  // At a terminal, a guest that is stopped as a whole stops forkbox, as the shell's job.
  private stopWithGuest(): void {
    if (!this.terminal) return;
    const live = [...this.procs.values()].filter((t) => t.state !== "zombie");
    if (live.length === 0 || !live.every((t) => t.state === "stopped")) return;
    this.output.flush();
    this.platform.stopSelf();
  }

  // Run every guest process to completion; resolves with pid 1's wait status.
  async run(): Promise<number> {
    this.terminal = this.platform.onTerminalSignal((sig) => this.terminalSignal(sig));
    let lastYield = Date.now();
    let slices = 0;
    while (this.live > 0) {
      const p = this.dequeue();
      if (!p) {
        this.stopWithGuest();
        if (this.hostWaits === 0 && !this.terminal) {
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
      if ((++slices & 15) === 0 && Date.now() - lastYield > 20) {
        this.output.flush();
        await this.platform.yieldToHost();
        lastYield = Date.now();
      }
    }
    this.output.flush();
    return this.init?.waitStatus ?? 0;
  }

  private runProcess(p: Process): void {
    if (this.current !== p) this.stats.contextSwitches++;
    this.current = p;
    let budget = this.slice;
    const core = this.core;
    while (budget > 0 && p.state === "runnable") {
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
      const reason = core.x.run(p.cpu, budget);
      budget -= Math.max(1, core.u64(p.cpu + CPU_ICOUNT) - before);
      if (reason === REASON_BUDGET) break;
      this.trap(p, reason);
      this.interruptIfSignalled(p);
      if (this.yieldRequested) { this.yieldRequested = false; break; }
    }
    if (p.state === "runnable") this.enqueue(p);
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

  fork(parent: Process, cpu: number, as: number, shareVm: boolean): Process {
    const mem = shareVm ? parent.mem : new GuestMemory(this.core, as);
    const child = new Process(this.allocPid(), parent.abi, cpu, mem, shareVm ? parent.mm : parent.mm.clone(),
      parent.fds.clone(), parent.cwd, { ...parent.creds });
    this.core.setU32(cpu + CPU_AS, mem.as);
    child.parent = parent;
    child.pgid = parent.pgid;
    child.sid = parent.sid;
    child.exe = parent.exe;
    child.argv = parent.argv;
    child.umask = parent.umask;
    child.limits = parent.limits.map((l) => [l[0], l[1]]);
    child.sig = parent.sig.forkCopy();
    parent.children.add(child);
    this.addProcess(child);
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

  // Replace p's image. Returns 0, or a positive errno with p untouched.
  exec(p: Process, path: string, argv: Uint8Array[], envp: Uint8Array[], depth = 0): number {
    const host = resolvePath(p.cwd, path);
    const st = this.platform.stat(host, true);
    if (typeof st === "number") return st;
    if ((st.mode & S_IFMT) === S_IFDIR || (st.mode & S_IFMT) !== S_IFREG) return EACCES;
    if (!(st.mode & 0o111) || (p.creds.euid !== 0 && !(st.mode & S_IXUSR) && st.uid === p.creds.euid)) return EACCES;
    const file = this.platform.readFile(host);
    if (typeof file === "number") return file;
    if (file[0] === 0x23 && file[1] === 0x21) return this.execScript(p, path, file, argv, envp, depth);
    const elf = parseElf(file);
    if (typeof elf === "number") return elf;
    const random = new Uint8Array(16);
    this.platform.randomBytes(random);
    const img = buildImage(this.core, file, elf, { execfn: path, argv, envp, creds: p.creds, hwcap: 0x8111, random });
    if (typeof img === "number") return img;
    const vforkParent = p.vforkParent;
    if (p.cpu) this.releaseMemory(p);
    p.abi = img.abi;
    p.cpu = img.cpu;
    p.mem = img.mem;
    p.mm = img.mm;
    p.exe = host;
    p.argv = argv.map((a) => new TextDecoder().decode(a));
    p.fds.closeOnExec();
    p.sig.onExec();
    p.rseq = 0;
    p.robustList = 0;
    p.clearChildTid = 0;
    if (vforkParent) this.wake(vforkParent);
    this.stats.execs++;
    return 0;
  }

  // "#!interpreter [one argument]": run the interpreter with the script's path.
  private execScript(p: Process, path: string, file: Uint8Array, argv: Uint8Array[], envp: Uint8Array[], depth: number): number {
    if (depth >= MAX_INTERP_DEPTH) return ELOOP;
    let nl = file.indexOf(0x0a);
    if (nl < 0) nl = Math.min(file.length, 256);
    const line = new TextDecoder().decode(file.subarray(2, Math.min(nl, 256))).replace(/^[ \t]+/, "").replace(/[ \t]+$/, "");
    if (!line) return ENOEXEC;
    const sp = line.search(/[ \t]/);
    const interp = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? "" : line.slice(sp).replace(/^[ \t]+/, "");
    const enc = new TextEncoder();
    const newArgv = [enc.encode(interp), ...(arg ? [enc.encode(arg)] : []), enc.encode(path), ...argv.slice(1)];
    const err = this.exec(p, interp, newArgv, envp, depth + 1);
    return err === ENOEXEC || err === EACCES ? err : err === ENOENT ? ENOENT : err;
  }

  // Drop p's CPU block and address space (unless a vfork parent still uses it).
  private releaseMemory(p: Process): void {
    const shared = p.vforkParent !== null && p.vforkParent.mem === p.mem;
    p.vforkParent = null;
    this.core.x.cpuFree(p.cpu);
    p.cpu = 0;
    if (!shared) this.core.x.addressSpaceFree(p.mem.as);
  }

  // The process ends with a wait status (exit code << 8, or a signal).
  exit(p: Process, status: number): void {
    if (p.state === "zombie") return;
    if (p.clearChildTid) p.mem.writeU32(p.clearChildTid, 0);
    p.fds.closeAll();
    const vforkParent = p.vforkParent;
    this.releaseMemory(p);
    if (vforkParent) this.wake(vforkParent);
    cancelRealTimer(p);
    p.state = "zombie";
    p.waitStatus = status;
    this.live--;
    // Orphans go to pid 1 while it lives; after that nobody waits for them.
    for (const c of p.children) {
      c.parent = this.init && this.init !== p && this.init.state !== "zombie" ? this.init : null;
      c.parent?.children.add(c);
      if (!c.parent && c.state === "zombie") this.procs.delete(c.pid);
      else if (c.state === "zombie" && c.parent) this.notifyParent(c);
    }
    p.children.clear();
    if (p.parent) this.notifyParent(p);
    else this.procs.delete(p.pid);
  }

  // SIGCHLD and a wake-up for the parent; no zombie if it ignores SIGCHLD or set SA_NOCLDWAIT.
  private notifyParent(child: Process): void {
    if (childExited(this, child)) this.reap(child);
  }

  // Remove a reaped zombie.
  reap(child: Process): void {
    child.parent?.children.delete(child);
    this.procs.delete(child.pid);
  }
}

declare module "./process.js" {
  interface Process {
    // Called when a child changes state, to wake a parent blocked in wait.
    childEvent?: () => void;
  }
}
