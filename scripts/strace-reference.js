// Records the native `strace -f -o` traces the --strace test compares with:
// each program of test/strace/programs.json runs twice under strace, in the
// fixed directory test/strace/compare.js stages the fixture binaries in,
// with the fixture's arguments and environment. The first run is committed
// as test/strace/expected/<abi>/<name>.trace; how well the second agrees
// with it (native against native) goes to test/strace/expected/agreement.json.
// Programs whose binaries are not built (x86-64 before its fixtures exist)
// are skipped and say so. Arguments (a name or abi/name) record just those
// programs and keep the others' traces.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXPECTED, PROGRAMS, binDir, compare, invocation, stage } from "../test/strace/compare.js";

const which = spawnSync("sh", ["-c", "command -v strace"], { encoding: "utf8" });
const strace = which.stdout.trim();
if (!strace) {
  console.error("strace-reference: strace is not installed (Debian package strace)");
  process.exit(1);
}

function record(p, dir, out) {
  const { args, env } = invocation(p);
  const r = spawnSync(strace, ["-f", "-o", out, `./${p.name}`, ...args], {
    cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000,
  });
  if (r.error) throw r.error;
  return readFileSync(out, "utf8");
}

const tmp = mkdtempSync(join(tmpdir(), "forkbox-strace-ref-"));
const only = process.argv.slice(2);
const agreementFile = `${EXPECTED}agreement.json`;
const agreement = only.length && existsSync(agreementFile) ? JSON.parse(readFileSync(agreementFile, "utf8")) : {};
try {
  for (const p of PROGRAMS) {
    const key = `${p.abi}/${p.name}`;
    if (only.length && !only.includes(key) && !only.includes(p.name)) continue;
    if (!existsSync(`${binDir(p.abi)}${p.name}`)) {
      console.log(`${key.padEnd(24)} skipped: no binary in ${binDir(p.abi)}`);
      continue;
    }
    const dir = stage(p.abi);
    const first = record(p, dir, join(tmp, "a"));
    const second = record(p, dir, join(tmp, "b"));
    const c = compare(first, second);
    agreement[key] = Number(c.percent.toFixed(1));
    mkdirSync(`${EXPECTED}${p.abi}`, { recursive: true });
    writeFileSync(`${EXPECTED}${key}.trace`, first);
    console.log(`${key.padEnd(24)} ${String(c.total).padStart(4)} lines, second native run matches ${c.percent.toFixed(1)}%`);
  }
  writeFileSync(agreementFile, `${JSON.stringify(agreement, null, 2)}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
