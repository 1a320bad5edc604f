// The Node.js platform adapter.
import * as fs from "node:fs";
import * as tty from "node:tty";
import { randomFillSync } from "node:crypto";
import type { HostStat, Platform } from "./platform.js";

// Node's error codes to Linux errno numbers.
const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, EBADF: 9, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21,
  EINVAL: 22, EMFILE: 24, ENOSPC: 28, EROFS: 30, ELOOP: 40, ENAMETOOLONG: 36, ENOTEMPTY: 39,
};

const MAX_TIMEOUT = 0x7fffffff; // setTimeout's limit in ms
// ^C, ^\ and ^Z from the terminal, forwarded to the guest instead of acting on forkbox.
const TERMINAL_SIGNALS: [NodeJS.Signals, number][] = [["SIGINT", 2], ["SIGQUIT", 3], ["SIGTSTP", 20], ["SIGCONT", 18]];

function errnoOf(e: unknown): number {
  const code = (e as { code?: string }).code;
  return (code && ERRNO[code]) || 5;
}

function toStat(s: fs.Stats): HostStat {
  return {
    mode: s.mode, size: s.size, ino: s.ino, dev: s.dev, nlink: s.nlink, uid: s.uid, gid: s.gid,
    rdev: s.rdev, blksize: s.blksize, blocks: s.blocks,
    atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs,
  };
}

export function nodePlatform(): Platform {
  let stdinEnded = false;
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
      try { return fs.readdirSync(path); } catch (e) { return errnoOf(e); }
    },
    writeStdio(fd, data) {
      let off = 0;
      while (off < data.length) {
        try {
          off += fs.writeSync(fd, data, off, data.length - off);
        } catch (e) {
          if ((e as { code?: string }).code === "EAGAIN") continue; // non-blocking pipe: retry
          return; // EPIPE and friends: the reader is gone
        }
      }
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
    nowMs: () => Date.now(),
    monotonicNs: () => process.hrtime.bigint(),
    randomBytes: (buf) => { randomFillSync(buf); },
    yieldToHost: () => new Promise((r) => setImmediate(r)),
    setTimer(ms, fn) {
      let handle: NodeJS.Timeout;
      const arm = (left: number) => {
        handle = setTimeout(() => (left > MAX_TIMEOUT ? arm(left - MAX_TIMEOUT) : fn()), Math.min(left, MAX_TIMEOUT));
      };
      arm(ms);
      return () => clearTimeout(handle);
    },
    onTerminalSignal(fn) {
      for (const [name, nr] of TERMINAL_SIGNALS) process.on(name, () => fn(nr));
      return tty.isatty(0);
    },
    stopSelf() { process.kill(process.pid, "SIGSTOP"); },
    cwd: () => process.cwd(),
  };
}
