// forkbox [options] <program> [args...]: a thin command line over the library.
import { nodePlatform } from "./platform/node.js";
import { runProgram, SpawnError, type FirstPolicy } from "./index.js";
import { EACCES, ENOENT, ENOEXEC, ERRNO_INFO } from "./kernel/errno.js";

const VERSION = "0.1.0";
const USAGE = `usage: forkbox [options] <program> [args...]

Runs a static i386 or x86-64 Linux program; every process it forks stays
inside this one forkbox process. The exit status is the program's (128+N
when a signal N killed it).

options:
  --first parent|child|random[:SEED]
                   who runs first after fork (default: parent, as Linux)
  --stats          print statistics as JSON to stderr at exit
  --help           show this help
  --version        show the version
`;

interface CliOptions { first: FirstPolicy; seed: number; stats: boolean; argv: string[]; }

function fail(msg: string, status: number): never {
  process.stderr.write(`forkbox: ${msg}\n`);
  process.exit(status);
}

function parseArgs(args: string[]): CliOptions {
  const o: CliOptions = { first: "parent", seed: 1, stats: false, argv: [] };
  let i = 0;
  for (; i < args.length && args[i].startsWith("-"); i++) {
    const a = args[i];
    if (a === "--") { i++; break; }
    if (a === "--help" || a === "-h") { process.stdout.write(USAGE); process.exit(0); }
    if (a === "--version") { process.stdout.write(`forkbox ${VERSION}\n`); process.exit(0); }
    if (a === "--stats") { o.stats = true; continue; }
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
  const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
  try {
    const r = await runProgram(nodePlatform(), { argv: o.argv, env, first: o.first, seed: o.seed });
    if (o.stats) process.stderr.write(JSON.stringify(r.stats) + "\n");
    // Exit now: a host read of stdin may still be pending, and nothing guest-side needs it.
    process.exit(r.status);
  } catch (e) {
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
