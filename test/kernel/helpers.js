// Running the forkbox CLI as a user would, for the whole-program tests.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = `${ROOT}dist/cli.js`;
export const FIXTURES = `${ROOT}test/fixtures/`;

// Run `forkbox [...options] argv...` in cwd with exactly env; stdin is /dev/null.
export function forkbox(argv, { cwd = ROOT, env = {}, options = [], input } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...options, ...argv], {
    cwd, env, input, encoding: "utf8", timeout: 120_000, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 128 + (r.signal ? 9 : 0) };
}
