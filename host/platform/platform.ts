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

export interface HostOpen { write: boolean; create?: boolean; exclusive?: boolean; mode?: number; }

export interface Platform {
  // Host files, by absolute host path. Errors are Linux errno numbers (positive).
  stat(path: string, follow: boolean): HostStat | number;
  readFile(path: string): Uint8Array | number;
  readlink(path: string): string | number;
  readdir(path: string): string[] | number;
  // Host files by handle, opened without following a final symlink. These and
  // the namespace operations below return a count, handle or 0, or -errno.
  openFile(path: string, how: HostOpen): number;
  pread(handle: number, len: number, pos: number): Uint8Array | number;
  pwrite(handle: number, data: Uint8Array, pos: number): number;
  fstat(handle: number): HostStat | number; // positive errno, as stat
  ftruncate(handle: number, len: number): number;
  closeFile(handle: number): void;
  // Changes to host files: only ever called for a mount the user made writable.
  mkdir(path: string, mode: number): number;
  unlink(path: string): number;
  rmdir(path: string): number;
  rename(from: string, to: string): number;
  symlink(target: string, path: string): number;
  link(existing: string, path: string): number;
  chmod(path: string, mode: number): number;
  chown(path: string, uid: number, gid: number): number;
  utimes(path: string, atimeMs: number, mtimeMs: number): number;
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
  sleepMs(ms: number): Promise<void>;
  // Call fn after ms unless the returned canceller runs first.
  setTimer(ms: number, fn: () => void): () => void;
  // Put the host terminal (stdin) into raw mode or back; restored at exit regardless.
  setRawMode(raw: boolean): void;
  cwd(): string;
}
