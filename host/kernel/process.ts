// A guest process: identity, CPU block, address space, files and family.
import type { Abi } from "./abi.js";
import type { GuestMemory } from "../core/memory.js";
import type { FdTable } from "./fs/fdtable.js";
import type { MemoryMap } from "./mm.js";
import { SignalState } from "./signal/state.js";
import { defaultLimits } from "./syscalls/info.js";
import type { Tty } from "./tty/tty.js";
import type { Siginfo } from "./signal/siginfo.js";
import type { Ctx } from "./syscalls/types.js";

export type ProcState = "runnable" | "blocked" | "stopped" | "zombie";

// Real, effective, saved and filesystem ids, and the supplementary groups.
export interface Credentials {
  uid: number; euid: number; suid: number; fsuid: number;
  gid: number; egid: number; sgid: number; fsgid: number;
  groups: number[];
}

export const ROOT_CREDENTIALS: Credentials = {
  uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, groups: [],
};

const NO_NAME = new Uint8Array(0);

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
  tty: Tty | null = null; // the controlling terminal (signal->tty)
  doomed: { info: Siginfo; status: number } | null = null; // a fatal signal: dies when next scheduled
  didExec = false; // since fork: setpgid on such a child fails with EACCES
  childSubreaper = false; // prctl(PR_SET_CHILD_SUBREAPER)
  dumpable = 1; // prctl(PR_SET_DUMPABLE)
  noNewPrivs = false; // prctl(PR_SET_NO_NEW_PRIVS)
  comm = NO_NAME; // the name (at most 15 bytes): the file's base name at execve, or PR_SET_NAME
  exe = "";
  argv: string[] = [];
  pending: unknown = null; // state a blocked syscall keeps until it completes
  umask = 0o022;
  nice = 0; // getpriority/setpriority; inherited by fork, kept by execve
  rseq = 0;
  // CPU time in instructions (one nanosecond each, as the CPU-time clocks count):
  cpuBase = 0; // the CPU block's instruction count when this process took it over
  cpuUsed = 0; // retired by earlier images (before execve)
  childCpu = 0; // retired by reaped children and their reaped descendants
  voluntarySwitches = 0; // slices that ended because the process blocked
  involuntarySwitches = 0; // slices that ran out
  ctx: Ctx | null = null; // what its syscall handlers get (syscalls/dispatch.ts)

  constructor(
    public pid: number,
    public abi: Abi,
    public cpu: number,
    public mem: GuestMemory,
    public mm: MemoryMap,
    public fds: FdTable,
    public cwd: string,
    public creds: Credentials,
    // fork passes copies of the parent's; a new process starts with the defaults.
    public limits: (readonly [number, number])[] = defaultLimits(),
    public sig: SignalState = new SignalState(),
  ) {
    this.pgid = pid;
    this.sid = pid;
  }

  get ppid(): number { return this.parent?.pid ?? 0; }
  get as(): number { return this.mem.as; }
}
