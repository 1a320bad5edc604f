// The embedding API: a machine (one Wasm core, one filesystem, limits) on
// which programs are spawned. Each spawn is its own process tree, with the
// program as pid 1 (as in its own pid namespace), sharing the machine's core
// and files.
import { Core } from "../core/core.js";
import { ERRNO_INFO } from "../kernel/errno.js";
import { Kernel, type FirstPolicy, type KernelStats } from "../kernel/kernel.js";
import type { MountSpec } from "../kernel/fs/setup.js";
import { formatStraceLine, type StraceSink } from "../kernel/strace/tracer.js";
import type { Process } from "../kernel/process.js";
import { SIGKILL, SIGTERM, shellStatus } from "../kernel/signals.js";
import { assemblePlatform, type HostFs, type HostServices, type HostStdio } from "../platform/platform.js";
import { webServices } from "../platform/web.js";
import { StreamStdio, streamText, type StdinSource } from "./streams.js";

const SIGXCPU = 24;

export interface Limits {
  processes?: number; // processes existing at once (zombies count); fork fails with EAGAIN beyond
  memory?: number; // bytes of guest memory; past it the process that grew it gets SIGKILL
  instructions?: number; // instructions retired in total; past it every process gets SIGXCPU
}

export interface MachineOptions {
  fs: HostFs;
  root?: string; // the directory of fs that is the guest's "/" (default "/")
  mounts?: MountSpec[]; // more directories of fs shown at guest paths (read-only unless rw)
  limits?: Limits;
  services?: HostServices; // clocks and yielding; web-standard APIs by default
}

export interface SpawnOptions {
  env?: Record<string, string> | string[]; // "NAME=value" strings or a record; empty by default
  cwd?: string; // an absolute path; default "/"
  stdin?: StdinSource; // default "null": reads see end of file
  stderr?: "pipe" | "stdout"; // "stdout": fd 2 goes into the stdout stream (2>&1)
  stdio?: HostStdio; // instead of streams: a terminal of the caller's (the CLI's own stdio)
  first?: FirstPolicy; // who runs first after fork (default "parent")
  seed?: number; // for first: "random"
  maxProcs?: number; // processes this tree may hold at once (zombies too); fork fails with EAGAIN beyond
  pidMax?: number; // pid_max: pids stay below it and wrap to 300 (default 32768)
  // Trace every syscall as strace -f does: "stderr" writes the lines into the
  // program's stderr (in order with its output); a function receives them.
  strace?: "stderr" | StraceSink;
}

export interface ExitStatus {
  status: number; // as a shell reports it: the exit code, or 128 + signal
  code: number | null; // exit code, when the program exited
  signal: number | null; // the signal that killed it
  waitStatus: number; // the raw wait status
}

export interface MachineStats extends KernelStats {
  cowCopies: number;
  peakFrames: number;
  memoryBytes: number; // guest memory in use now
  instructions: number;
}

// The process tree as it changes. `tree` tells spawns apart (pids repeat).
export type ProcessEvent =
  | { type: "spawn"; tree: number; pid: number; argv: string[] }
  | { type: "fork"; tree: number; pid: number; ppid: number; argv: string[] }
  | { type: "exec"; tree: number; pid: number; argv: string[] }
  | { type: "exit"; tree: number; pid: number; exit: ExitStatus }
  | { type: "reap"; tree: number; pid: number };

// The machine's namespace could not be built (a bad root or mount).
export class SetupError extends Error {}

export class SpawnError extends Error {
  constructor(readonly errno: number, readonly path: string) {
    super(`${path}: ${ERRNO_INFO[errno]?.[1] ?? `error ${errno}`}`);
  }
}

export function exitStatus(waitStatus: number): ExitStatus {
  const sig = waitStatus & 0x7f;
  return { status: shellStatus(waitStatus), code: sig ? null : (waitStatus >> 8) & 0xff, signal: sig || null, waitStatus };
}

export async function createMachine(options: MachineOptions): Promise<Machine> {
  return new Machine(await Core.create(), options);
}

export class Machine {
  private trees = new Set<Kernel>();
  private nextTree = 1;
  private totals: KernelStats = { processes: 0, execs: 0, contextSwitches: 0, parentRanFirst: 0, childRanFirst: 0 };
  private listeners = new Set<(e: ProcessEvent) => void>();
  private readonly services: HostServices;
  private readonly limits: Limits;
  private cpuLimitHit = false;

  constructor(readonly core: Core, private options: MachineOptions) {
    this.services = options.services ?? webServices();
    this.limits = options.limits ?? {};
  }

  get fs(): HostFs { return this.options.fs; }

  // Start argv[0] (a path in the machine's filesystem). Throws SpawnError
  // when it cannot start (missing, not executable, not an ELF).
  spawn(argv: string[], opts: SpawnOptions = {}): ChildProcess {
    if (argv.length === 0) throw new TypeError("spawn: argv is empty");
    if (opts.cwd !== undefined && !opts.cwd.startsWith("/")) throw new TypeError(`spawn: cwd must be absolute, not '${opts.cwd}'`);
    const streams = new StreamStdio(opts.stdin ?? "null", opts.stderr === "stdout");
    const platform = assemblePlatform(this.options.fs, opts.stdio ?? streams, this.services, opts.cwd ?? "/");
    const enc = new TextEncoder();
    const strace: StraceSink | undefined = opts.strace === "stderr"
      ? (l) => kernel.output.write(2, enc.encode(formatStraceLine(l, "stderr") + "\n"))
      : opts.strace;
    let kernel: Kernel;
    try {
      kernel = new Kernel(this.core, platform, {
        first: opts.first, seed: opts.seed, maxProcs: opts.maxProcs, pidMax: opts.pidMax, strace,
        root: this.options.root, mounts: this.options.mounts,
      });
    } catch (e) {
      streams.close();
      throw new SetupError(e instanceof Error ? e.message : String(e));
    }
    const env = Array.isArray(opts.env) ? opts.env : Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const err = kernel.spawnInit(argv[0], argv, env);
    if (err) { streams.close(); throw new SpawnError(err, argv[0]); }
    const tree = this.nextTree++;
    this.trees.add(kernel);
    kernel.hooks = this.hooks(kernel, tree);
    this.emit({ type: "spawn", tree, pid: 1, argv: [...argv] });
    const exited = kernel.run().then(
      (ws) => { this.finish(kernel); streams.close(); return exitStatus(ws); },
      (e: unknown) => { this.finish(kernel); streams.close(e); throw e; },
    );
    return new ChildProcess(kernel, tree, streams, opts.stdio !== undefined, exited);
  }

  // Statistics of every tree spawned so far, and of the core now.
  stats(): MachineStats {
    const s = { ...this.totals };
    for (const k of this.trees) for (const key of Object.keys(s) as (keyof KernelStats)[]) s[key] += k.stats[key];
    const x = this.core.x;
    return { ...s, cowCopies: x.statCowCopies(), peakFrames: x.statFramesPeak(), memoryBytes: x.statFramesUsed() * 4096,
      instructions: x.statRetired() };
  }

  // Subscribe to process events; returns the unsubscribe function.
  on(type: "process", fn: (e: ProcessEvent) => void): () => void {
    if (type !== "process") throw new TypeError(`unknown event '${type}'`);
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  private emit(e: ProcessEvent): void {
    for (const fn of this.listeners) {
      try { fn(e); } catch (err) { queueMicrotask(() => { throw err; }); } // never into the kernel
    }
  }

  private finish(k: Kernel): void {
    if (!this.trees.delete(k)) return;
    for (const key of Object.keys(this.totals) as (keyof KernelStats)[]) this.totals[key] += k.stats[key];
  }

  private hooks(k: Kernel, tree: number): Kernel["hooks"] {
    const lim = this.limits;
    return {
      fork: (parent, child) => this.emit({ type: "fork", tree, pid: child.pid, ppid: parent.pid, argv: [...child.argv] }),
      exec: (p) => this.emit({ type: "exec", tree, pid: p.pid, argv: [...p.argv] }),
      exit: (p) => this.emit({ type: "exit", tree, pid: p.pid, exit: exitStatus(p.waitStatus) }),
      reap: (p) => this.emit({ type: "reap", tree, pid: p.pid }),
      mayFork: lim.processes === undefined ? undefined : () => this.processCount() < lim.processes!,
      slice: lim.memory === undefined && lim.instructions === undefined ? undefined : (p) => this.enforce(k, p),
    };
  }

  private processCount(): number {
    let n = 0;
    for (const k of this.trees) n += k.procs.size;
    return n;
  }

  // Checked after every time slice: the memory and instruction limits.
  private enforce(k: Kernel, p: Process): void {
    const x = this.core.x;
    if (this.limits.memory !== undefined && p.state !== "zombie" && x.statFramesUsed() * 4096 > this.limits.memory) {
      k.log(`out of memory: killed pid ${p.pid} (${p.argv[0] ?? p.exe})`);
      k.hostSignal(p, SIGKILL);
    }
    if (this.limits.instructions !== undefined && !this.cpuLimitHit && x.statRetired() > this.limits.instructions) {
      this.cpuLimitHit = true;
      for (const t of this.trees) {
        t.log(`instruction limit of ${this.limits.instructions} reached: SIGXCPU to every process`);
        for (const q of [...t.procs.values()]) if (q.state !== "zombie") t.hostSignal(q, SIGXCPU);
      }
    }
  }
}

// A spawned program: its streams, its exit, and kill.
export class ChildProcess {
  readonly pid = 1;
  readonly stdin: WritableStream<Uint8Array> | null;
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;

  constructor(private kernel: Kernel, readonly tree: number, streams: StreamStdio, customStdio: boolean,
    readonly exited: Promise<ExitStatus>) {
    this.stdin = customStdio ? null : streams.stdin;
    this.stdout = streams.stdout;
    this.stderr = streams.stderr;
  }

  // Send sig to pid 1, or with "tree" to every process of the tree: delivered as
  // kill(2) from outside the tree's pid namespace would (si_pid 0), handlers included.
  kill(sig = SIGTERM, scope: "process" | "tree" = "process"): void {
    if (!Number.isInteger(sig) || sig < 0 || sig > 64) throw new RangeError(`kill: bad signal ${sig}`);
    if (sig === 0) return;
    const targets = scope === "tree" ? [...this.kernel.procs.values()] : [this.kernel.procs.get(1)];
    for (const p of targets) if (p && p.state !== "zombie") this.kernel.hostSignal(p, sig);
  }

  // Everything the program wrote, once the whole tree has ended.
  async output(): Promise<ExitStatus & { stdout: string; stderr: string }> {
    const [stdout, stderr, exit] = await Promise.all([streamText(this.stdout), streamText(this.stderr), this.exited]);
    return { ...exit, stdout, stderr };
  }

  // This tree's kernel counters.
  stats(): KernelStats { return { ...this.kernel.stats }; }
}
