// A guest process: identity, CPU block, address space, files and family.
import type { Abi } from "./abi.js";
import type { GuestMemory } from "../core/memory.js";
import type { FdTable } from "./fs/fdtable.js";
import type { MemoryMap } from "./mm.js";
import { SignalState } from "./signal/state.js";
import { defaultLimits } from "./syscalls/info.js";

export type ProcState = "runnable" | "blocked" | "stopped" | "zombie";

export interface Credentials { uid: number; euid: number; suid: number; gid: number; egid: number; sgid: number; }

export class Process {
  parent: Process | null = null;
  children = new Set<Process>();
  state: ProcState = "runnable";
  waitStatus = 0; // the status word wait4 reports once a zombie
  restartSyscall = false; // blocked in a syscall that runs again when woken
  wakeup: (() => void) | null = null; // what to cancel when woken
  exitSignal = 17; // SIGCHLD: signal sent to the parent at exit
  clearChildTid = 0; // set_tid_address / CLONE_CHILD_CLEARTID
  robustList = 0;
  vforkParent: Process | null = null; // suspended until this process execs or exits
  pgid: number;
  sid: number;
  exe = "";
  argv: string[] = [];
  pending: unknown = null; // state a blocked syscall keeps until it completes
  umask = 0o022;
  rseq = 0;
  limits: [number, number][] = defaultLimits();
  sig = new SignalState();

  constructor(
    public pid: number,
    public abi: Abi,
    public cpu: number,
    public mem: GuestMemory,
    public mm: MemoryMap,
    public fds: FdTable,
    public cwd: string,
    public creds: Credentials,
  ) {
    this.pgid = pid;
    this.sid = pid;
  }

  get ppid(): number { return this.parent?.pid ?? 0; }
  get as(): number { return this.mem.as; }
}
