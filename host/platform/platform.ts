// What the kernel needs from its host. The kernel imports no `node:` module:
// Node, Deno and the browser each provide one of these, assembled from three
// parts that vary independently (a machine's files, a program's stdio, and
// the runtime's clocks).

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

// Files, by absolute path. Errors are Linux errno numbers (positive).
// Implemented by the host's own filesystem (node.ts, deno.ts) and by an
// in-memory tree (memfs.ts, which tar.ts fills).
export interface HostFs {
  stat(path: string, follow: boolean): HostStat | number;
  readFile(path: string): Uint8Array | number;
  readlink(path: string): string | number;
  readdir(path: string): string[] | number;
}

// A program's stdin, stdout and stderr (fds 0, 1, 2): the host's own
// (the CLI) or streams (the library).
export interface HostStdio {
  writeStdio(fd: number, data: Uint8Array): void;
  fstatStdio(fd: number): HostStat | null;
  isatty(fd: number): boolean;
  windowSize(fd: number): { rows: number; cols: number } | null;
  // Read stdin once; null at end of file.
  readStdin(): Promise<Uint8Array | null>;
}

// Clocks, randomness and yielding to the runtime's event loop.
export interface HostServices {
  // Wall clock (ms since the epoch) and a monotonic clock (ns).
  nowMs(): number;
  monotonicNs(): bigint;
  randomBytes(buf: Uint8Array): void;
  // Let the event loop run (timers, I/O) before continuing.
  yieldToHost(): Promise<void>;
  sleepMs(ms: number): Promise<void>;
}

export interface Platform extends HostFs, HostStdio, HostServices {
  cwd(): string; // the first process's working directory
}

// One Platform from its parts. Explicit forwarding keeps `this` for parts
// that are class instances (a MemFs).
export function assemblePlatform(fs: HostFs, stdio: HostStdio, services: HostServices, cwd: string): Platform {
  return {
    stat: (path, follow) => fs.stat(path, follow),
    readFile: (path) => fs.readFile(path),
    readlink: (path) => fs.readlink(path),
    readdir: (path) => fs.readdir(path),
    writeStdio: (fd, data) => stdio.writeStdio(fd, data),
    fstatStdio: (fd) => stdio.fstatStdio(fd),
    isatty: (fd) => stdio.isatty(fd),
    windowSize: (fd) => stdio.windowSize(fd),
    readStdin: () => stdio.readStdin(),
    nowMs: () => services.nowMs(),
    monotonicNs: () => services.monotonicNs(),
    randomBytes: (buf) => services.randomBytes(buf),
    yieldToHost: () => services.yieldToHost(),
    sleepMs: (ms) => services.sleepMs(ms),
    cwd: () => cwd,
  };
}
