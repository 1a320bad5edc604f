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

export interface HostOpen { write: boolean; create?: boolean; exclusive?: boolean; mode?: number; }

// Files, by absolute path. Errors are Linux errno numbers (positive for the
// lookups, negative for the handle and namespace operations). Implemented by
// the host's own filesystem (node.ts, deno.ts) and by an in-memory tree
// (memfs.ts, which tar.ts fills).
export interface HostFs {
  stat(path: string, follow: boolean): HostStat | number;
  readFile(path: string): Uint8Array | number;
  readlink(path: string): string | number;
  readdir(path: string): string[] | number;
  // Files by handle, opened without following a final symlink. These and
  // the namespace operations below return a count, handle or 0, or -errno.
  openFile(path: string, how: HostOpen): number;
  pread(handle: number, len: number, pos: number): Uint8Array | number;
  pwrite(handle: number, data: Uint8Array, pos: number): number;
  fstat(handle: number): HostStat | number; // positive errno, as stat
  ftruncate(handle: number, len: number): number;
  closeFile(handle: number): void;
  // Changes to files: only ever called for a mount the user made writable.
  mkdir(path: string, mode: number): number;
  unlink(path: string): number;
  rmdir(path: string): number;
  rename(from: string, to: string): number;
  symlink(target: string, path: string): number;
  link(existing: string, path: string): number;
  chmod(path: string, mode: number): number;
  chown(path: string, uid: number, gid: number): number;
  utimes(path: string, atimeMs: number, mtimeMs: number): number;
}

// A program's stdin, stdout and stderr (fds 0, 1, 2): the host's own
// (the CLI) or streams (the library).
export interface HostStdio {
  // false when nobody reads it any more (EPIPE): the guest's next write gets EPIPE and SIGPIPE.
  writeStdio(fd: number, data: Uint8Array): boolean;
  fstatStdio(fd: number): HostStat | null;
  isatty(fd: number): boolean;
  windowSize(fd: number): { rows: number; cols: number } | null;
  // Read stdin once; null at end of file.
  readStdin(): Promise<Uint8Array | null>;
  // Put the terminal behind stdin into raw mode or back; restored at exit regardless.
  setRawMode(raw: boolean): void;
  // Whether this process is in its terminal's foreground process group (true when unknown):
  // a background job must not take the terminal before its program reads it.
  isForeground(): boolean;
  // Terminal job-control keys (^C, ^\, ^Z) reach the host process as signals; forkbox
  // takes them instead of dying or stopping and hands each to fn (Linux signal numbers),
  // as it does a SIGCONT, so a resumed job resumes the guest. Returns the function that
  // stops listening, or null when no such signal can arrive (stdin is no terminal).
  onTerminalSignal(fn: (sig: number) => void): (() => void) | null;
  // Stop the host process as the shell's job (after ^Z stopped every guest process).
  stopSelf(): void;
}

// Clocks, randomness and yielding to the runtime's event loop.
export interface HostServices {
  // Wall clock (ms since the epoch) and a monotonic clock (ns).
  nowMs(): number;
  monotonicNs(): bigint;
  randomBytes(buf: Uint8Array): void;
  // Let the event loop run (timers, I/O) before continuing.
  yieldToHost(): Promise<void>;
  // Call fn after ms unless the returned canceller runs first.
  setTimer(ms: number, fn: () => void): () => void;
  // The host's uname names, which guests see as their own (as under qemu-user);
  // forkbox's own names where a host has none to give (browsers).
  system?(): HostSystem;
}

export interface HostSystem { nodename: string; release: string; version: string; }

export interface Platform extends HostFs, HostStdio, HostServices {
  cwd(): string; // the first process's working directory
}

// From /proc/self/stat: whether the terminal's foreground group (tpgid) is ours (pgrp).
export function inForeground(stat: string): boolean {
  const [, , pgrp, , , tpgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return pgrp === tpgid;
}

// One Platform from its parts. Explicit forwarding keeps `this` for parts
// that are class instances (a MemFs).
export function assemblePlatform(fs: HostFs, stdio: HostStdio, services: HostServices, cwd: string): Platform {
  return {
    stat: (path, follow) => fs.stat(path, follow),
    readFile: (path) => fs.readFile(path),
    readlink: (path) => fs.readlink(path),
    readdir: (path) => fs.readdir(path),
    openFile: (path, how) => fs.openFile(path, how),
    pread: (h, len, pos) => fs.pread(h, len, pos),
    pwrite: (h, data, pos) => fs.pwrite(h, data, pos),
    fstat: (h) => fs.fstat(h),
    ftruncate: (h, len) => fs.ftruncate(h, len),
    closeFile: (h) => fs.closeFile(h),
    mkdir: (path, mode) => fs.mkdir(path, mode),
    unlink: (path) => fs.unlink(path),
    rmdir: (path) => fs.rmdir(path),
    rename: (from, to) => fs.rename(from, to),
    symlink: (target, path) => fs.symlink(target, path),
    link: (existing, path) => fs.link(existing, path),
    chmod: (path, mode) => fs.chmod(path, mode),
    chown: (path, uid, gid) => fs.chown(path, uid, gid),
    utimes: (path, a, m) => fs.utimes(path, a, m),
    writeStdio: (fd, data) => stdio.writeStdio(fd, data),
    fstatStdio: (fd) => stdio.fstatStdio(fd),
    isatty: (fd) => stdio.isatty(fd),
    windowSize: (fd) => stdio.windowSize(fd),
    readStdin: () => stdio.readStdin(),
    setRawMode: (raw) => stdio.setRawMode(raw),
    isForeground: () => stdio.isForeground(),
    onTerminalSignal: (fn) => stdio.onTerminalSignal(fn),
    stopSelf: () => stdio.stopSelf(),
    nowMs: () => services.nowMs(),
    monotonicNs: () => services.monotonicNs(),
    randomBytes: (buf) => services.randomBytes(buf),
    yieldToHost: () => services.yieldToHost(),
    setTimer: (ms, fn) => services.setTimer(ms, fn),
    system: services.system ? () => services.system!() : undefined,
    cwd: () => cwd,
  };
}
