// What the kernel needs from its host. The kernel imports no `node:` module:
// Node, Deno and the browser each provide one of these.

export interface HostStat {
  mode: number; // st_mode with file type bits
  size: number;
  ino: number;
  dev: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  blksize: number;
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface Platform {
  // Host files, by absolute host path. Errors are Linux errno numbers (positive).
  stat(path: string, follow: boolean): HostStat | number;
  readFile(path: string): Uint8Array | number;
  readlink(path: string): string | number;
  readdir(path: string): string[] | number;
  // The host's own stdio (0, 1, 2).
  writeStdio(fd: number, data: Uint8Array): void;
  fstatStdio(fd: number): HostStat | null;
  isatty(fd: number): boolean;
  windowSize(fd: number): { rows: number; cols: number } | null;
  // Read the host's stdin once; null at end of file.
  readStdin(): Promise<Uint8Array | null>;
  // Wall clock (ms since the epoch) and a monotonic clock (ns).
  nowMs(): number;
  monotonicNs(): bigint;
  randomBytes(buf: Uint8Array): void;
  // Let the event loop run (timers, I/O) before continuing.
  yieldToHost(): Promise<void>;
  // Call fn once after ms milliseconds unless the returned function cancels it first.
  setTimer(ms: number, fn: () => void): () => void;
  // Terminal job-control keys (^C, ^\, ^Z) reach the host process as signals; forkbox
  // takes them instead of dying or stopping and hands each to fn (Linux signal numbers).
  // Returns whether such signals can arrive at all (stdin is a terminal).
  // SIGCONT reaching the host process is passed on too, so a resumed job resumes the guest.
  onTerminalSignal(fn: (sig: number) => void): boolean;
  // Stop the host process as the shell's job (after ^Z stopped every guest process).
  stopSelf(): void;
  cwd(): string;
}
