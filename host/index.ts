// The forkbox library: run x86 Linux programs in this JavaScript process.
// This entry uses web-standard APIs only (the browser's); index-node.ts and
// index-deno.ts add the host's own filesystem.
export {
  createMachine, exitStatus, Machine, ChildProcess, SpawnError, SetupError,
  type Limits, type MachineOptions, type SpawnOptions, type ExitStatus, type MachineStats, type ProcessEvent,
} from "./api/machine.js";
export { streamText, type StdinSource } from "./api/streams.js";
export { MemFs, memFs, type MemEntryOptions } from "./platform/memfs.js";
export { tarFs, makeTar, TarError } from "./platform/tar.js";
export { webServices } from "./platform/web.js";
export type { HostFs, HostStdio, HostServices, HostStat } from "./platform/platform.js";
export type { FirstPolicy, KernelStats } from "./kernel/kernel.js";
export type { MountSpec } from "./kernel/fs/setup.js";
export { formatStraceLine, type StraceLine, type StraceSink } from "./kernel/strace/tracer.js";
export { shellStatus } from "./kernel/signals.js";
