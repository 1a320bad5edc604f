// forkbox [options] <program> [args...]: a thin command line over the library.
// Runs under Node and under Deno (`deno run -A dist/cli.js`).
import { openSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { createMachine, formatStraceLine, SetupError, SpawnError, type FirstPolicy, type SpawnOptions } from "./index.js";
import { EACCES, ENOENT, ENOEXEC, ERRNO_INFO } from "./kernel/errno.js";
import type { MountSpec } from "./kernel/fs/setup.js";
import { denoEnviron, denoFs, denoStdio, isDeno } from "./platform/deno.js";
import { nodeFs, nodeServices, nodeStdio } from "./platform/node.js";
import { webServices } from "./platform/web.js";

const VERSION = "0.1.0";
const USAGE = `usage: forkbox [options] <program> [args...]

Runs a static i386 or x86-64 Linux program; every process it forks stays
inside this one forkbox process. The exit status is the program's (128+N
when a signal N killed it).

options:
  --first parent|child|random[:SEED]
                   who runs first after fork (default: parent, as Linux)
  --max-procs N    at most N processes (zombies included) in the whole tree;
                   fork fails with EAGAIN beyond that
  --pid-max N      pids stay below N and wrap to 300, as Linux's pid_max
                   (default 32768, at least 301)
  --root DIR       the host directory that is the guest's "/" (default: /);
                   the guest cannot reach host paths outside it
  --mount HOST:GUEST[:rw]
                   show host directory HOST at guest path GUEST. The root and
                   mounts are read-only: guest changes stay in memory unless
                   the mount is :rw
  --stats          print statistics as JSON to stderr at exit
  --strace         print every system call to stderr, as strace -f does
  --strace-file FILE
                   write the trace to FILE instead, as strace -f -o FILE
                   (every line starts with the process id)
  --help           show this help
  --version        show the version
`;

interface CliOptions {
  first: FirstPolicy; seed: number; stats: boolean; strace: boolean; straceFile: string | null;
  maxProcs?: number; pidMax?: number; argv: string[]; root: string; mounts: MountSpec[];
}

// --name N or --name=N with a positive integer of at most 9 digits, at least min.
function numberOption(args: string[], i: number, name: string, min: number): [number, number] | null {
  const m = args[i].match(new RegExp(`^--${name}(?:=(.*))?$`));
  if (!m) return null;
  const v = m[1] ?? args[i + 1];
  if (!v || !/^[1-9]\d{0,8}$/.test(v) || Number(v) < min) fail(`--${name} takes a number of at least ${min}, not '${v ?? ""}'`, 127);
  return [Number(v), m[1] === undefined ? i + 1 : i];
}

function fail(msg: string, status: number): never {
  process.stderr.write(`forkbox: ${msg}\n`);
  process.exit(status);
}

function parseArgs(args: string[]): CliOptions {
  const o: CliOptions = {
    first: "parent", seed: 1, stats: false, strace: false, straceFile: null, argv: [], root: "/", mounts: [],
  };
  let i = 0;
  for (; i < args.length && args[i].startsWith("-"); i++) {
    const a = args[i];
    if (a === "--") { i++; break; }
    if (a === "--help" || a === "-h") { process.stdout.write(USAGE); process.exit(0); }
    if (a === "--version") { process.stdout.write(`forkbox ${VERSION}\n`); process.exit(0); }
    if (a === "--stats") { o.stats = true; continue; }
    if (a === "--strace") { o.strace = true; continue; }
    const file = a.match(/^--strace-file(?:=(.*))?$/);
    if (file) {
      const v = file[1] ?? args[++i];
      if (!v) fail("--strace-file needs a file name", 127);
      o.straceFile = v;
      continue;
    }
    const maxProcs = numberOption(args, i, "max-procs", 1);
    if (maxProcs) { [o.maxProcs, i] = maxProcs; continue; }
    const pidMax = numberOption(args, i, "pid-max", 301);
    if (pidMax) { [o.pidMax, i] = pidMax; continue; }
    const root = a.match(/^--root(?:=(.*))?$/);
    if (root) {
      const v = root[1] ?? args[++i];
      if (!v) fail("--root takes a directory", 127);
      o.root = resolve(v);
      continue;
    }
    const mount = a.match(/^--mount(?:=(.*))?$/);
    if (mount) {
      const v = mount[1] ?? args[++i] ?? "";
      const m = v.match(/^([^:]+):(\/[^:]*)(?::(rw|ro))?$/);
      if (!m) fail(`--mount takes HOST:GUEST[:rw] with an absolute GUEST path, not '${v}'`, 127);
      o.mounts.push({ host: resolve(m[1]), guest: m[2], rw: m[3] === "rw" });
      continue;
    }
    const first = a.match(/^--first(?:=(.*))?$/);
    if (first) {
      const v = first[1] ?? args[++i];
      const m = v?.match(/^(parent|child|random)(?::(\d+))?$/);
      if (!m || (m[2] && m[1] !== "random")) fail(`--first takes parent, child or random[:SEED], not '${v ?? ""}'`, 127);
      o.first = m[1] as FirstPolicy;
      if (m[2]) o.seed = Number(m[2]);
      continue;
    }
    fail(`unknown option '${a}' (see forkbox --help)`, 127);
  }
  o.argv = args.slice(i);
  if (o.argv.length === 0) fail("no program given (see forkbox --help)", 127);
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const start = Date.now();
  let strace: SpawnOptions["strace"] = o.strace ? "stderr" : undefined;
  if (o.straceFile) {
    let fd = -1;
    try {
      fd = openSync(o.straceFile, "w");
    } catch (e) {
      fail(`cannot write ${o.straceFile}: ${e instanceof Error ? e.message : String(e)}`, 127);
    }
    // strace -o FILE leaves out its messages (personality changes, attaching).
    strace = (l) => { if (!l.note) writeSync(fd, formatStraceLine(l, "file") + "\n"); };
  }
  // The host's files, environment and this process's own stdio, through the runtime's own APIs.
  const host = isDeno()
    ? { fs: denoFs(), stdio: denoStdio(), services: webServices(), env: denoEnviron() }
    : { fs: nodeFs(), stdio: nodeStdio(), services: nodeServices(), env: Object.entries(process.env).map(([k, v]) => `${k}=${v}`) };
  const machine = await createMachine({ fs: host.fs, services: host.services, root: o.root, mounts: o.mounts });
  try {
    const child = machine.spawn(o.argv, {
      env: host.env, cwd: process.cwd(), stdio: host.stdio, first: o.first, seed: o.seed, strace,
      maxProcs: o.maxProcs, pidMax: o.pidMax,
    });
    const exit = await child.exited;
    if (o.stats) {
      const { memoryBytes, ...s } = machine.stats();
      // framesInUse: 4 KiB frames still allocated after every process ended (0 unless something leaked).
      process.stderr.write(JSON.stringify({ ...s, framesInUse: memoryBytes / 4096, wallMs: Date.now() - start }) + "\n");
    }
    // Exit now: a host read of stdin may still be pending, and nothing guest-side needs it.
    process.exit(exit.status);
  } catch (e) {
    if (e instanceof SetupError) fail(e.message, 127);
    if (!(e instanceof SpawnError)) throw e;
    const prog = o.argv[0];
    if (e.errno === ENOENT) fail(`${prog}: No such file or directory`, 127);
    if (e.errno === ENOEXEC) fail(`${prog}: cannot execute binary file: Exec format error`, 126);
    if (e.errno === EACCES) fail(`${prog}: Permission denied`, 126);
    fail(`${prog}: ${ERRNO_INFO[e.errno]?.[1] ?? `error ${e.errno}`}`, 126);
  }
}

main().catch((e: unknown) => {
  // An internal error: one line, not a stack trace (FORKBOX_DEBUG=1 shows it).
  if (process.env.FORKBOX_DEBUG) console.error(e);
  fail(`internal error: ${e instanceof Error ? e.message : String(e)}`, 125);
});
