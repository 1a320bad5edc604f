// The Deno platform adapter: the host's files and stdio through Deno's own
// APIs (no node: compatibility layer), web-standard clocks.
import { attempt, errnoOf } from "./errno-codes.js";
import { assemblePlatform, inForeground, type HostFs, type HostStat, type HostStdio, type Platform } from "./platform.js";
import { webServices } from "./web.js";

// The part of Deno's API this file uses (the repo type-checks without Deno's types).
interface DenoFileInfo {
  size: number; mtime: Date | null; atime: Date | null; ctime: Date | null;
  dev: number; ino: number | null; mode: number | null; nlink: number | null; uid: number | null;
  gid: number | null; rdev: number | null; blksize: number | null; blocks: number | null;
}
interface DenoFile {
  readSync(p: Uint8Array): number | null;
  writeSync(p: Uint8Array): number;
  seekSync(offset: number, whence: number): number;
  statSync(): DenoFileInfo;
  truncateSync(len?: number): void;
  close(): void;
}
interface DenoStdStream {
  rid?: number;
  isTerminal(): boolean;
  setRaw?(raw: boolean): void;
  writeSync?(p: Uint8Array): number;
  read?(p: Uint8Array): Promise<number | null>;
}
interface DenoApi {
  statSync(path: string): DenoFileInfo;
  lstatSync(path: string): DenoFileInfo;
  readFileSync(path: string): Uint8Array;
  readLinkSync(path: string): string;
  readDirSync(path: string): Iterable<{ name: string }>;
  openSync(path: string, o: { read: boolean; write: boolean; create: boolean; createNew: boolean; mode?: number }): DenoFile;
  mkdirSync(path: string, o: { mode: number }): void;
  removeSync(path: string): void;
  renameSync(from: string, to: string): void;
  symlinkSync(target: string, path: string): void;
  linkSync(existing: string, path: string): void;
  chmodSync(path: string, mode: number): void;
  chownSync(path: string, uid: number, gid: number): void;
  utimeSync(path: string, atime: number, mtime: number): void;
  cwd(): string;
  env: { toObject(): Record<string, string> };
  consoleSize(): { columns: number; rows: number };
  stdin: DenoStdStream; stdout: DenoStdStream; stderr: DenoStdStream;
  pid: number;
  addSignalListener(sig: string, fn: () => void): void;
  removeSignalListener(sig: string, fn: () => void): void;
  kill(pid: number, sig: string): void;
}

// ^C, ^\ and ^Z from the terminal, forwarded to the guest instead of acting on forkbox.
const TERMINAL_SIGNALS: [string, number][] = [
  ["SIGINT", 2], ["SIGQUIT", 3], ["SIGTSTP", 20], ["SIGCONT", 18], ["SIGWINCH", 28],
];

function deno(): DenoApi {
  return (globalThis as unknown as { Deno: DenoApi }).Deno;
}

export function isDeno(): boolean {
  return "Deno" in globalThis;
}

function toStat(s: DenoFileInfo): HostStat {
  return {
    mode: s.mode ?? 0, size: s.size, ino: s.ino ?? 0, dev: s.dev, nlink: s.nlink ?? 1, uid: s.uid ?? 0,
    gid: s.gid ?? 0, rdev: s.rdev ?? 0, blksize: s.blksize ?? 4096, blocks: s.blocks ?? 0,
    atimeMs: s.atime?.getTime() ?? 0, mtimeMs: s.mtime?.getTime() ?? 0, ctimeMs: s.ctime?.getTime() ?? 0,
  };
}

// The host's filesystem, paths as they are.
export function denoFs(): HostFs {
  const D = deno();
  const files = new Map<number, DenoFile>();
  let nextHandle = 3;
  return {
    stat(path, follow) {
      try { return toStat(follow ? D.statSync(path) : D.lstatSync(path)); } catch (e) { return errnoOf(e); }
    },
    readFile(path) {
      try { return D.readFileSync(path); } catch (e) { return errnoOf(e); }
    },
    readlink(path) {
      try { return D.readLinkSync(path); } catch (e) { return errnoOf(e); }
    },
    readdir(path) {
      try { return Array.from(D.readDirSync(path), (d) => d.name); } catch (e) { return errnoOf(e); }
    },
    openFile(path, how) {
      // Deno has no O_NOFOLLOW: refuse a final symlink by looking first.
      const st = this.stat(path, false);
      if (typeof st !== "number" && (st.mode & 0o170000) === 0o120000) return -40;
      try {
        const f = D.openSync(path, { read: true, write: how.write, create: !!how.create, createNew: !!how.exclusive, mode: how.mode });
        files.set(nextHandle, f);
        return nextHandle++;
      } catch (e) { return -errnoOf(e); }
    },
    pread(h, len, pos) {
      const f = files.get(h);
      if (!f) return -9;
      try {
        f.seekSync(pos, 0);
        const buf = new Uint8Array(len);
        let n = 0;
        while (n < len) {
          const r = f.readSync(buf.subarray(n));
          if (r === null || r === 0) break;
          n += r;
        }
        return buf.subarray(0, n);
      } catch (e) { return -errnoOf(e); }
    },
    pwrite(h, data, pos) {
      const f = files.get(h);
      if (!f) return -9;
      try {
        f.seekSync(pos, 0);
        let n = 0;
        while (n < data.length) n += f.writeSync(data.subarray(n));
        return n;
      } catch (e) { return -errnoOf(e); }
    },
    fstat(h) {
      const f = files.get(h);
      if (!f) return 9;
      try { return toStat(f.statSync()); } catch (e) { return errnoOf(e); }
    },
    ftruncate(h, len) {
      const f = files.get(h);
      return f ? attempt(() => f.truncateSync(len)) : -9;
    },
    closeFile(h) { try { files.get(h)?.close(); } catch { /* already gone */ } files.delete(h); },
    mkdir: (path, mode) => attempt(() => D.mkdirSync(path, { mode })),
    unlink: (path) => attempt(() => D.removeSync(path)),
    rmdir: (path) => attempt(() => D.removeSync(path)),
    rename: (from, to) => attempt(() => D.renameSync(from, to)),
    symlink: (target, path) => attempt(() => D.symlinkSync(target, path)),
    link: (existing, path) => attempt(() => D.linkSync(existing, path)),
    chmod: (path, mode) => attempt(() => D.chmodSync(path, mode)),
    chown: (path, uid, gid) => attempt(() => D.chownSync(path, uid, gid)),
    utimes: (path, a, m) => attempt(() => D.utimeSync(path, a / 1000, m / 1000)),
  };
}

// This Deno process's own stdin, stdout and stderr.
export function denoStdio(): HostStdio {
  const D = deno();
  const streams = [D.stdin, D.stdout, D.stderr];
  const fs = denoFs();
  return {
    writeStdio(fd, data) {
      const s = streams[fd];
      let off = 0;
      try {
        while (off < data.length) off += s.writeSync!(data.subarray(off));
      } catch {
        return false; // the reader is gone
      }
      return true;
    },
    // Deno has no fstat of its stdio; /dev/stdin and friends are the same files.
    fstatStdio(fd) {
      const st = fs.stat(`/proc/self/fd/${fd}`, true);
      return typeof st === "number" ? null : st;
    },
    isatty: (fd) => streams[fd].isTerminal(),
    windowSize(fd) {
      if (!streams[fd].isTerminal()) return null;
      try { const s = D.consoleSize(); return { rows: s.rows, cols: s.columns }; } catch { return null; }
    },
    setRawMode(raw) {
      if (D.stdin.isTerminal()) D.stdin.setRaw?.(raw);
    },
    isForeground() {
      try { return inForeground(new TextDecoder().decode(D.readFileSync("/proc/self/stat"))); } catch { return true; }
    },
    onTerminalSignal(fn) {
      if (!D.stdin.isTerminal()) return null;
      const handlers = TERMINAL_SIGNALS.map(([name, nr]) => [name, () => fn(nr)] as const);
      for (const [name, h] of handlers) D.addSignalListener(name, h);
      return () => { for (const [name, h] of handlers) D.removeSignalListener(name, h); };
    },
    stopSelf() { D.kill(D.pid, "SIGSTOP"); },
    async readStdin() {
      const buf = new Uint8Array(65536);
      try {
        const n = await D.stdin.read!(buf);
        return n === null || n === 0 ? null : buf.slice(0, n);
      } catch { return null; }
    },
  };
}

// This process's environment in environ's own order (which programs can
// see); Deno.env is a map whose order differs.
export function denoEnviron(): string[] {
  try {
    const raw = new TextDecoder().decode(deno().readFileSync("/proc/self/environ"));
    return raw.split("\0").filter((s) => s.includes("="));
  } catch {
    return Object.entries(deno().env.toObject()).map(([k, v]) => `${k}=${v}`);
  }
}

export function denoPlatform(): Platform {
  return assemblePlatform(denoFs(), denoStdio(), webServices(), deno().cwd());
}
