// The portable library tests under Deno, then the CLI under Deno against the
// same recorded runs: `npx deno run -A test/portable/deno.js`.
// Imports the package as Deno resolves it (the "deno" export condition).
import * as lib from "../../dist/deno.js";
import { libraryCases, runCases } from "./cases.js";

const root = new URL("../../", import.meta.url);
const readFile = (url) => Deno.readFile(url);
const cases = await libraryCases(lib, root, readFile);

// `deno run -A dist/cli.js ./<fixture>` as the Node CLI tests run it.
const fixtures = new URL("test/fixtures/", root);
const manifest = JSON.parse(await Deno.readTextFile(new URL("fixtures.json", fixtures)));
for (const f of manifest) {
  cases.push([`deno cli: ${f.name}`, async () => {
    const expected = JSON.parse(await Deno.readTextFile(new URL(`expected/${f.name}.json`, fixtures)));
    const cmd = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("dist/cli.js", root).pathname, `./${f.name}`, ...f.args],
      cwd: new URL("bin/i386/", fixtures).pathname,
      clearEnv: true,
      env: Object.fromEntries(Object.keys(f.env).sort().map((k) => [k, f.env[k]])),
      stdin: f.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    });
    const child = cmd.spawn();
    if (f.stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(f.stdin));
      await w.close();
    }
    const r = await child.output();
    const dec = new TextDecoder();
    const got = { stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr), status: r.signal ? 128 : r.code };
    const want = { stdout: expected.stdout, stderr: expected.stderr, status: expected.status };
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }]);
}

const failed = await runCases(cases, console.log);
Deno.exit(failed ? 1 : 0);
