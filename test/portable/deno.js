// The portable library tests under Deno, then the CLI under Deno against the
// same recorded runs: `npx deno run -A test/portable/deno.js`.
// Imports the package as Deno resolves it (the "deno" export condition).
import * as lib from "../../dist/deno.js";
import { libraryCases, runCases } from "./cases.js";
import { fixtureRuns } from "../fixtures/manifest.js";

const root = new URL("../../", import.meta.url);
const readFile = (url) => Deno.readFile(url);
const cases = await libraryCases(lib, root, readFile);

// `deno run -A dist/cli.js ./<fixture>` as the Node CLI tests run it, for the
// i386 builds (the x86-64 ones go through the same CLI code).
for (const run of fixtureRuns().filter((r) => r.arch === "i386")) {
  cases.push([`deno cli: ${run.bin}`, async () => {
    const expected = JSON.parse(await Deno.readTextFile(run.expectedFile));
    const cmd = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("dist/cli.js", root).pathname, `./${run.bin}`, ...run.args],
      cwd: run.binDir,
      clearEnv: true,
      env: run.env,
      stdin: run.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    });
    const child = cmd.spawn();
    // Text to feed, then end of file; "open": a pipe that stays open and silent until the end.
    const w = run.stdin === undefined ? null : child.stdin.getWriter();
    if (w && run.stdin !== "open") {
      await w.write(new TextEncoder().encode(run.stdin));
      await w.close();
    }
    const r = await child.output();
    if (w && run.stdin === "open") await w.close().catch(() => {});
    const dec = new TextDecoder();
    const got = { stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr), status: r.signal ? 128 : r.code };
    const want = { stdout: expected.stdout, stderr: expected.stderr, status: expected.status };
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }]);
}

const failed = await runCases(cases, console.log);
Deno.exit(failed ? 1 : 0);
