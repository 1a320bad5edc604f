// Differential tests: each fixture's stdout, stderr and exit status under
// forkbox must equal the run recorded natively (test/fixtures/expected).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { FIXTURES, forkbox, forkboxHeldStdin } from "./helpers.js";

const manifest = JSON.parse(readFileSync(`${FIXTURES}fixtures.json`, "utf8"));

for (const f of manifest) {
  test(`i386 ${f.name}`, async () => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}expected/${f.name}.json`, "utf8"));
    const env = Object.fromEntries(Object.keys(f.env).sort().map((k) => [k, f.env[k]]));
    const run = f.stdin === "open" ? forkboxHeldStdin : forkbox;
    const r = await run([`./${f.name}`, ...f.args], { cwd: `${FIXTURES}bin/i386`, env });
    assert.is(r.stdout, expected.stdout, "stdout");
    assert.is(r.stderr, expected.stderr, "stderr");
    assert.is(r.status, expected.status, "exit status");
  });
}

test.run();
