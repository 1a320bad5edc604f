// --strace-file against native `strace -f -o` (test/strace/expected/, recorded
// by scripts/strace-reference.js): after normalising pids, addresses and
// interleaving (compare.js), at least 95% of the native lines of each
// program must appear in forkbox's trace, and every native line forkbox
// lacks must be a known difference (known-differences.json, with its reason),
// so that one wrong line fails even where 95% would let it pass. Lines only
// forkbox prints (a syscall the native vDSO answers, say) must be listed
// there too, under "extra".
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forkbox } from "../kernel/helpers.js";
import { EXPECTED, PROGRAMS, binDir, compare, invocation, stage } from "./compare.js";

const THRESHOLD = 95;
const KNOWN = JSON.parse(readFileSync(new URL("./known-differences.json", import.meta.url), "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "forkbox-strace-"));

for (const p of PROGRAMS) {
  const key = `${p.abi}/${p.name}`;
  if (!existsSync(`${binDir(p.abi)}${p.name}`)) {
    console.log(`  strace ${key}: not built yet, not compared`);
    continue;
  }
  test(`strace ${key}`, () => {
    const expectedFile = `${EXPECTED}${key}.trace`;
    assert.ok(existsSync(expectedFile), `${expectedFile} is missing: run node scripts/strace-reference.js`);
    const { args, env } = invocation(p);
    const out = join(tmp, `${p.abi}-${p.name}.trace`);
    forkbox([`./${p.name}`, ...args], { cwd: stage(p.abi), env, options: ["--strace-file", out] });
    const c = compare(readFileSync(expectedFile, "utf8"), readFileSync(out, "utf8"));
    console.log(`  strace ${key}: ${c.matched}/${c.total} native lines (${c.percent.toFixed(1)}%)`);
    assert.ok(c.percent >= THRESHOLD, `${c.percent.toFixed(1)}% < ${THRESHOLD}%; missing:\n${c.missing.join("\n")}`);
    const unexplained = c.missing.filter((l) => !(KNOWN[key]?.lines ?? []).includes(l));
    assert.equal(unexplained, [], `native lines missing from forkbox's trace:\n${unexplained.join("\n")}`);
    const extra = c.extra.filter((l) => !(KNOWN[key]?.extra ?? []).includes(l));
    assert.equal(extra, [], `lines in forkbox's trace that native strace does not print:\n${extra.join("\n")}`);
  });
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
