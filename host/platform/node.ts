// The Node.js platform adapter: the host's files and stdio, Node's clocks.
import * as fs from "node:fs";
import * as tty from "node:tty";
import * as os from "node:os";
import { randomFillSync } from "node:crypto";
import { attempt, errnoOf } from "./errno-codes.js";
import { longTimer } from "./web.js";
import { assemblePlatform, inForeground, type HostFs, type HostServices, type HostStat, type HostStdio, type Platform } from "./platform.js";

// Host terminal state changed by setRawMode, restored however forkbox exits.
let rawSet = false;
let hooked = false;
function restoreTerminal(): void {
  if (rawSet && process.stdin.isTTY) process.stdin.setRawMode(false);
  rawSet = false;
}

function toStat(s: fs.Stats): HostStat {
  return {
    mode: s.mode, size: s.size, ino: s.ino, dev: s.dev, nlink: s.nlink, uid: s.uid, gid: s.gid,
    rdev: s.rdev, blksize: s.blksize, blocks: s.blocks,
    atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs,
  };
}

// The host's filesystem, paths as they are.
export function nodeFs(): HostFs {
  return {
    stat(path, follow) {
      try { return toStat(follow ? fs.statSync(path) : fs.lstatSync(path)); } catch (e) { return errnoOf(e); }
    },
    readFile(path) {
      try { return new Uint8Array(fs.readFileSync(path)); } catch (e) { return errnoOf(e); }
    },
    readlink(path) {
      try { return fs.readlinkSync(path); } catch (e) { return errnoOf(e); }
    },
    readdir(path) {
      // In the directory's own order, as getdents gives it (readdirSync sorts).
      try {
        const dir = fs.opendirSync(path);
        const names: string[] = [];
        try {
          for (let e = dir.readSync(); e; e = dir.readSync()) names.push(e.name);
        } finally {
          dir.closeSync();
        }
        return names;
      } catch (e) { return errnoOf(e); }
    },
    openFile(path, how) {
      const c = fs.constants;
      let flags = (how.write ? c.O_RDWR : c.O_RDONLY) | c.O_NOFOLLOW;
      if (how.create) flags |= c.O_CREAT | (how.exclusive ? c.O_EXCL : 0);
      try { return fs.openSync(path, flags, how.mode ?? 0o644); } catch (e) { return -errnoOf(e); }
    },
    pread(h, len, pos) {
      const buf = new Uint8Array(len);
      try { return buf.subarray(0, fs.readSync(h, buf, 0, len, pos)); } catch (e) { return -errnoOf(e); }
    },
    pwrite(h, data, pos) {
      try { return fs.writeSync(h, data, 0, data.length, pos); } catch (e) { return -errnoOf(e); }
    },
    fstat(h) {
      try { return toStat(fs.fstatSync(h)); } catch (e) { return errnoOf(e); }
    },
    ftruncate: (h, len) => attempt(() => fs.ftruncateSync(h, len)),
    closeFile(h) { try { fs.closeSync(h); } catch { /* already gone */ } },
    mkdir: (path, mode) => attempt(() => fs.mkdirSync(path, { mode })),
    unlink: (path) => attempt(() => fs.unlinkSync(path)),
    rmdir: (path) => attempt(() => fs.rmdirSync(path)),
    rename: (from, to) => attempt(() => fs.renameSync(from, to)),
    symlink: (target, path) => attempt(() => fs.symlinkSync(target, path)),
    link: (existing, path) => attempt(() => fs.linkSync(existing, path)),
    chmod: (path, mode) => attempt(() => fs.chmodSync(path, mode)),
    chown: (path, uid, gid) => attempt(() => fs.lchownSync(path, uid, gid)),
    utimes: (path, a, m) => attempt(() => fs.lutimesSync(path, a / 1000, m / 1000)),
  };
}

// ^C, ^\ and ^Z from the terminal, forwarded to the guest instead of acting on forkbox.
const TERMINAL_SIGNALS: [NodeJS.Signals, number][] = [
  ["SIGINT", 2], ["SIGQUIT", 3], ["SIGTSTP", 20], ["SIGCONT", 18], ["SIGWINCH", 28],
];

// This Node process's own stdin, stdout and stderr.
export function nodeStdio(): HostStdio {
  let stdinEnded = false;
  return {
    writeStdio(fd, data) {
      let off = 0;
      while (off < data.length) {
        try {
          off += fs.writeSync(fd, data, off, data.length - off);
        } catch (e) {
          if ((e as { code?: string }).code === "EAGAIN") continue; // non-blocking pipe: retry
          return false; // EPIPE and friends: the reader is gone
        }
      }
      return true;
    },
    fstatStdio(fd) {
      try { return toStat(fs.fstatSync(fd)); } catch { return null; }
    },
    isatty(fd) { return tty.isatty(fd); },
    windowSize(fd) {
      const s = fd === 0 ? process.stdin : fd === 1 ? process.stdout : process.stderr;
      const t = s as unknown as { columns?: number; rows?: number };
      return tty.isatty(fd) && t.columns ? { rows: t.rows ?? 24, cols: t.columns } : null;
    },
    // Through process.stdin rather than fs.read, which would hold a thread-pool thread
    // in read(2) and keep forkbox from exiting while the pipe stays silent.
    readStdin() {
      return new Promise((resolve) => {
        const s = process.stdin;
        if (stdinEnded) { resolve(null); return; }
        const done = (data: Uint8Array | null) => {
          s.pause();
          s.off("data", onData);
          s.off("end", onEnd);
          s.off("error", onEnd);
          resolve(data);
        };
        const onData = (d: Buffer) => done(new Uint8Array(d));
        const onEnd = () => { stdinEnded = true; done(null); };
        s.on("data", onData);
        s.once("end", onEnd);
        s.once("error", onEnd);
        s.resume();
      });
    },
    setRawMode(raw) {
      if (!process.stdin.isTTY) return;
      if (raw && !hooked) {
        hooked = true;
        process.once("exit", restoreTerminal);
        // SIGINT is not among them: at a raw terminal it can only come from kill(1), and goes to the guest.
        for (const sig of ["SIGTERM", "SIGHUP"] as const) {
          process.once(sig, () => { restoreTerminal(); process.exit(128 + os.constants.signals[sig]); });
        }
      }
      process.stdin.setRawMode(raw);
      rawSet = raw;
    },
    isForeground() {
      try { return inForeground(fs.readFileSync("/proc/self/stat", "utf8")); } catch { return true; }
    },
    onTerminalSignal(fn) {
      if (!tty.isatty(0)) return null;
      const handlers = TERMINAL_SIGNALS.map(([name, nr]) => [name, () => fn(nr)] as const);
      for (const [name, h] of handlers) process.on(name, h);
      return () => { for (const [name, h] of handlers) process.off(name, h); };
    },
    stopSelf() { process.kill(process.pid, "SIGSTOP"); },
  };
}

export function nodeServices(): HostServices {
  return {
    nowMs: () => Date.now(),
    monotonicNs: () => process.hrtime.bigint(),
    randomBytes: (buf) => { randomFillSync(buf); },
    yieldToHost: () => new Promise((r) => setImmediate(r)),
    setTimer: longTimer,
    system: () => ({ nodename: os.hostname(), release: os.release(), version: os.version() }),
  };
}

export function nodePlatform(): Platform {
  return assemblePlatform(nodeFs(), nodeStdio(), nodeServices(), process.cwd());
}
