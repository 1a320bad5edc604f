// Running the forkbox CLI as a user would, for the whole-program tests.
import { spawn, spawnSync } from "node:child_process";
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

// The same with stdin a pipe that stays open and silent until forkbox exits
// (fixtures with "stdin": "open": a read from it blocks).
export function forkboxHeldStdin(argv, { cwd = ROOT, env = {}, options = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...options, ...argv], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => { stdout += d; });
    child.stderr.setEncoding("utf8").on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ stdout, stderr, status: code ?? 128 + (signal ? 9 : 0) });
    });
  });
}
