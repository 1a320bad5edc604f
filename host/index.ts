// The forkbox library: run x86 Linux programs in this JavaScript process.
import { Core } from "./core/core.js";
import { Kernel, type FirstPolicy, type KernelStats } from "./kernel/kernel.js";
import { shellStatus } from "./kernel/signals.js";
import { formatStraceLine, type StraceSink } from "./kernel/strace/tracer.js";
import type { Platform } from "./platform/platform.js";
import type { MountSpec } from "./kernel/fs/setup.js";

export { Core } from "./core/core.js";
export { Kernel } from "./kernel/kernel.js";
export type { FirstPolicy, KernelStats } from "./kernel/kernel.js";
export type { Platform, HostStat } from "./platform/platform.js";
export type { MountSpec } from "./kernel/fs/setup.js";
export { shellStatus } from "./kernel/signals.js";
export { ERRNO_INFO } from "./kernel/errno.js";
export { formatStraceLine } from "./kernel/strace/tracer.js";
export type { StraceLine, StraceSink } from "./kernel/strace/tracer.js";

export interface RunOptions {
  argv: string[]; // argv[0] is the program path
  env?: string[]; // "NAME=value" strings
  first?: FirstPolicy;
  seed?: number;
  // Trace every syscall as strace -f does: "stderr" writes the lines to the
  // guest's stderr stream (in order with its output); a function receives them.
  strace?: "stderr" | StraceSink;
  maxProcs?: number; // processes the whole tree may hold at once (zombies too); fork fails with EAGAIN beyond
  pidMax?: number; // pid_max: pids stay below it and wrap to 300 (default 32768)
  root?: string; // host directory that is the guest's "/" (default "/")
  mounts?: MountSpec[]; // host directories shown at guest paths (read-only unless rw)
}

export interface RunResult {
  status: number; // as a shell reports it: exit code, or 128 + signal
  waitStatus: number; // the raw wait status of the first process
  // framesInUse: 4 KiB frames still allocated after every process ended (0 unless something leaked).
  stats: KernelStats & { cowCopies: number; peakFrames: number; framesInUse: number; instructions: number; wallMs: number };
}

// Run a program to completion: resolves when every guest process has exited,
// or rejects with the errno that kept the program from starting.
export async function runProgram(platform: Platform, opts: RunOptions): Promise<RunResult> {
  const start = Date.now();
  const core = await Core.create();
  const enc = new TextEncoder();
  const strace: StraceSink | undefined = opts.strace === "stderr"
    ? (l) => kernel.output.write(2, enc.encode(formatStraceLine(l, "stderr") + "\n"))
    : opts.strace;
  let kernel: Kernel;
  try {
    kernel = new Kernel(core, platform, {
      first: opts.first, seed: opts.seed, strace, maxProcs: opts.maxProcs, pidMax: opts.pidMax,
      root: opts.root, mounts: opts.mounts,
    });
  } catch (e) {
    throw new SetupError(e instanceof Error ? e.message : String(e));
  }
  const err = kernel.spawnInit(opts.argv[0], opts.argv, opts.env ?? []);
  if (err) throw new SpawnError(err);
  const waitStatus = await kernel.run();
  return {
    status: shellStatus(waitStatus),
    waitStatus,
    stats: {
      ...kernel.stats,
      cowCopies: core.x.statCowCopies(),
      peakFrames: core.x.statFramesPeak(),
      framesInUse: core.x.statFramesUsed(),
      instructions: core.x.statRetired(),
      wallMs: Date.now() - start,
    },
  };
}

// The namespace could not be built (a bad --root or --mount).
export class SetupError extends Error {}

export class SpawnError extends Error {
  constructor(readonly errno: number) {
    super(`cannot start program: errno ${errno}`);
  }
}
