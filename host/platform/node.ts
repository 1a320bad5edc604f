// The Node.js platform adapter: the host's files and stdio, Node's clocks.
import * as fs from "node:fs";
import * as tty from "node:tty";
import { randomFillSync } from "node:crypto";
import { errnoOf } from "./errno-codes.js";
import { assemblePlatform, type HostFs, type HostServices, type HostStat, type HostStdio, type Platform } from "./platform.js";


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
      try { return fs.readdirSync(path); } catch (e) { return errnoOf(e); }
    },
  };
}

// This Node process's own stdin, stdout and stderr.
export function nodeStdio(): HostStdio {
  return {
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
    readStdin() {
      return new Promise((resolve) => {
        const buf = Buffer.alloc(65536);
        fs.read(0, buf, 0, buf.length, null, (err, n) => {
          if (err || n === 0) resolve(null);
          else resolve(new Uint8Array(buf.subarray(0, n)));
        });
      });
    },
  };
}

export function nodeServices(): HostServices {
  return {
    nowMs: () => Date.now(),
    monotonicNs: () => process.hrtime.bigint(),
    randomBytes: (buf) => { randomFillSync(buf); },
    yieldToHost: () => new Promise((r) => setImmediate(r)),
    sleepMs: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

export function nodePlatform(): Platform {
  return assemblePlatform(nodeFs(), nodeStdio(), nodeServices(), process.cwd());
}
