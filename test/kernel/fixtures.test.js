// Differential tests: each fixture's stdout, stderr and exit status under
// forkbox must equal the run recorded natively (test/fixtures/expected),
// for every architecture and libc it is built for.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { forkbox, forkboxHeldStdin } from "./helpers.js";
import { fixtureRuns } from "../fixtures/manifest.js";

for (const run of fixtureRuns()) {
  test(`${run.arch} ${run.bin}`, async () => {
    const expected = JSON.parse(readFileSync(run.expectedFile, "utf8"));
    const argv = [`./${run.bin}`, ...run.args];
    const r = run.stdin === "open"
      ? await forkboxHeldStdin(argv, { cwd: run.binDir, env: run.env })
      : forkbox(argv, { cwd: run.binDir, env: run.env, input: run.stdin });
    assert.is(r.stdout, expected.stdout, "stdout");
    assert.is(r.stderr, expected.stderr, "stderr");
    assert.is(r.status, expected.status, "exit status");
  });
}

test.run();
