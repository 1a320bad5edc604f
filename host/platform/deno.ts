// The Deno platform adapter: the host's files and stdio through Deno's own
// APIs (no node: compatibility layer), web-standard clocks.
import { errnoOf } from "./errno-codes.js";
import { assemblePlatform, type HostFs, type HostStat, type HostStdio, type Platform } from "./platform.js";
import { webServices } from "./web.js";

// The part of Deno's API this file uses (the repo type-checks without Deno's types).
interface DenoFileInfo {
  size: number; mtime: Date | null; atime: Date | null; ctime: Date | null;
  dev: number; ino: number | null; mode: number | null; nlink: number | null; uid: number | null;
  gid: number | null; rdev: number | null; blksize: number | null; blocks: number | null;
}
interface DenoStdStream {
  rid?: number;
  isTerminal(): boolean;
  writeSync?(p: Uint8Array): number;
  read?(p: Uint8Array): Promise<number | null>;
}
interface DenoApi {
  statSync(path: string): DenoFileInfo;
  lstatSync(path: string): DenoFileInfo;
  readFileSync(path: string): Uint8Array;
  readLinkSync(path: string): string;
  readDirSync(path: string): Iterable<{ name: string }>;
  cwd(): string;
  env: { toObject(): Record<string, string> };
  consoleSize(): { columns: number; rows: number };
  stdin: DenoStdStream; stdout: DenoStdStream; stderr: DenoStdStream;
}

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
      } catch { /* the reader is gone */ }
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
