// Comparing two `strace -f -o` traces of the same program: native strace and
// forkbox --strace-file. What legitimately differs is normalised away: pids
// become P0, P1... in numeric order (both kernels hand them out increasing),
// hex numbers become 0x_ (addresses), getrandom's bytes "_" (random) and CPU-time
// clock readings _ (they vary run to run), a call split into "<unfinished ...>" and
// "<... resumed>" is joined back, and the padding before " = " is collapsed.
// How processes interleave is ignored: lines are compared as multisets.
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const PROGRAMS = JSON.parse(readFileSync(`${ROOT}test/strace/programs.json`, "utf8"));
export const EXPECTED = `${ROOT}test/strace/expected/`;
const FIXTURES = `${ROOT}test/fixtures/`;
const MANIFEST = JSON.parse(readFileSync(`${FIXTURES}fixtures.json`, "utf8"));

// Traces contain paths (readlink("/proc/self/exe")), so both runs happen in
// one fixed directory holding a copy of the fixture binaries.
export const STAGE = "/tmp/forkbox-strace";

export function binDir(abi) {
  return `${FIXTURES}bin/${abi}/`;
}

export function stage(abi) {
  const dir = `${STAGE}/${abi}`;
  mkdirSync(dir, { recursive: true });
  cpSync(binDir(abi), dir, { recursive: true });
  return dir;
}

// args and env of a program: its own, or its fixtures.json entry's (env sorted, as the fixture runs).
export function invocation(p) {
  const f = MANIFEST.find((m) => m.name === p.name) ?? {};
  const args = p.args ?? f.args ?? [];
  const env = p.env ?? f.env ?? {};
  return { args, env: Object.fromEntries(Object.keys(env).sort().map((k) => [k, env[k]])) };
}

export function normalize(trace) {
  const lines = trace.split("\n").filter((l) => l.length > 0).map((l) => {
    const m = l.match(/^(\d+) +(.*)$/);
    return m ? { pid: Number(m[1]), text: m[2] } : { pid: 0, text: l };
  });
  const pids = [...new Set(lines.map((l) => l.pid))].sort((a, b) => a - b);
  const label = new Map(pids.map((p, i) => [p, `P${i}`]));
  const open = new Map();
  const out = [];
  for (const { pid, text } of lines) {
    let t = text;
    const unfinished = t.match(/^(.*?) ?<unfinished \.\.\.>$/);
    if (unfinished && !t.startsWith("<...")) { open.set(pid, unfinished[1]); continue; }
    const resumed = t.match(/^<\.\.\. [\w$]+ resumed>(.*)$/);
    if (resumed) {
      t = (open.get(pid) ?? "") + resumed[1].replace(/^ <unfinished \.\.\.>/, "");
      open.delete(pid);
    }
    t = t.replace(/\) +=( |$)/, ") =$1").replace(/0x[0-9a-f]+/g, "0x_").replace(/^getrandom\("[^"]*"/, 'getrandom("_"')
      .replace(CPU_CLOCK_READING, "$1{tv_sec=_, tv_nsec=_}");
    t = relabel(t, (n) => label.get(Number(n)) ?? n);
    out.push(`${label.get(pid)} ${t}`);
  }
  for (const [pid, head] of open) out.push(`${label.get(pid)} ${head} <unfinished ...>`);
  return out;
}

const CPU_CLOCK_READING = /^(clock_gettime(?:64)?\(CLOCK_(?:PROCESS|THREAD)_CPUTIME_ID, )\{tv_sec=\d+, tv_nsec=\d+\}/;

// Pids inside a line: si_pid=, what fork/wait/getpid return, whom wait/kill name.
const RETURNS_PID = /^(fork|vfork|clone|clone3|wait4|waitpid|getpid|gettid|getppid|set_tid_address)\(.*\) = (\d+)$/;
const TAKES_PID = /^(wait4|waitpid|kill|tkill|tgkill|getpgid|getsid|setpgid|prlimit64)\((-?)(\d+)(, (\d+))?/;

function relabel(t, pid) {
  t = t.replace(/si_pid=(\d+)/g, (_, n) => `si_pid=${pid(n)}`);
  t = t.replace(RETURNS_PID, (all, _name, n) => all.slice(0, all.length - n.length) + pid(n));
  // -1 is "any process", not pid 1; other negative values name a process group.
  t = t.replace(TAKES_PID, (_, name, sign, n, more, m) =>
    `${name}(${sign}${sign && n === "1" ? n : pid(n)}${more ? `, ${name === "tgkill" ? pid(m) : m}` : ""}`);
  return t;
}

// How many of the reference's lines the other trace has (as a multiset), which
// it lacks, and which lines it has that the reference does not.
export function compare(reference, other) {
  const have = new Map();
  for (const l of normalize(other)) have.set(l, (have.get(l) ?? 0) + 1);
  const missing = [];
  const ref = normalize(reference);
  for (const l of ref) {
    const n = have.get(l) ?? 0;
    if (n > 0) have.set(l, n - 1);
    else missing.push(l);
  }
  const matched = ref.length - missing.length;
  const extra = [...have].flatMap(([l, n]) => Array(n).fill(l));
  return { total: ref.length, matched, percent: ref.length ? (100 * matched) / ref.length : 100, missing, extra };
}
