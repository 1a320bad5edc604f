// Library tests that run unchanged under Node (test/lib/library.test.js) and
// Deno (test/portable/deno.js): the fixture programs through the public API,
// over the host's files, an in-memory tree and a tar archive, compared with
// their recorded native runs. Only web-standard APIs here.

class Mismatch extends Error {}

function is(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Mismatch(`${what}: expected ${e}, got ${a}`);
}

function ok(cond, what) {
  if (!cond) throw new Mismatch(what);
}

// lib: the forkbox module; root: the repository's file: URL; readFile(url) → Uint8Array.
export async function libraryCases(lib, root, readFile) {
  const fixtures = new URL("test/fixtures/", root);
  const bin = new URL("bin/i386/", fixtures);
  const text = async (url) => new TextDecoder().decode(await readFile(url));
  // The i386 builds (the x86-64 ones run the same way through the same API).
  const manifest = JSON.parse(await text(new URL("fixtures.json", fixtures))).filter((f) => f.arch.includes("i386"));
  const expected = async (name) => JSON.parse(await text(new URL(`expected/i386/${name}.json`, fixtures)));
  const binPath = decodeURIComponent(bin.pathname);
  const envOf = (f) => Object.fromEntries(Object.keys(f.env).sort().map((k) => [k, f.env[k]]));
  const binaries = await Promise.all(manifest.map(async (f) => ({ name: f.name, data: await readFile(new URL(f.name, bin)) })));

  const same = (r, exp) => {
    is(r.stdout, exp.stdout, "stdout");
    is(r.stderr, exp.stderr, "stderr");
    is(r.status, exp.status, "exit status");
  };
  const cases = [];
  const host = await lib.createMachine(); // the host's files: guest paths are host paths

  for (const f of manifest) {
    cases.push([`host files: ${f.name}`, async () => {
      // "open": a pipe nobody writes to or closes, so that reads block.
      const stdin = f.stdin === "open" ? "pipe" : f.stdin ?? "null";
      const child = host.spawn([`./${f.name}`, ...f.args], { cwd: binPath, env: envOf(f), stdin });
      same(await child.output(), await expected(f.name));
    }]);
  }

  cases.push(["in-memory files: fork_exec_wait, upcase", async () => {
    const files = Object.fromEntries(binaries.map((b) => [`/bin/${b.name}`, b.data]));
    const m = await lib.createMachine({ fs: lib.memFs(files, { executable: true }) });
    same(await m.spawn(["./fork_exec_wait"], { cwd: "/bin" }).output(), await expected("fork_exec_wait"));
    const up = manifest.find((f) => f.name === "upcase");
    same(await m.spawn(["/bin/upcase"], { stdin: up.stdin }).output(), await expected("upcase"));
  }]);

  cases.push(["a tar archive: fork_print, fork_exec_wait", async () => {
    const tar = lib.makeTar(binaries.map((b) => ({ path: `./demo/${b.name}`, data: b.data, mode: 0o755 })));
    const m = await lib.createMachine({ fs: lib.tarFs(tar) });
    same(await m.spawn(["/demo/fork_print"]).output(), await expected("fork_print"));
    same(await m.spawn(["./fork_exec_wait"], { cwd: "/demo" }).output(), await expected("fork_exec_wait"));
  }]);

  cases.push(["stdin as a pipe written in pieces", async () => {
    const up = manifest.find((f) => f.name === "upcase");
    const child = host.spawn(["./upcase"], { cwd: binPath, stdin: "pipe" });
    const out = child.output();
    const w = child.stdin.getWriter();
    const bytes = new TextEncoder().encode(up.stdin);
    await w.write(bytes.subarray(0, 10));
    await w.write(bytes.subarray(10));
    await w.close();
    same(await out, await expected("upcase"));
  }]);

  cases.push(["stderr merged into stdout", async () => {
    const r = await host.spawn(["./hello"], { cwd: binPath, stderr: "stdout" }).output();
    const exp = await expected("hello");
    is(r.stdout, exp.stdout + exp.stderr, "merged output");
    is(r.stderr, "", "stderr");
  }]);

  cases.push(["process events: fork, exec, exit, reap", async () => {
    const m = await lib.createMachine({ fs: host.fs });
    const events = [];
    m.on("process", (e) => events.push(e));
    await m.spawn(["./fork_exec_wait"], { cwd: binPath }).exited;
    const seen = events.map((e) => `${e.type} ${e.pid}${e.ppid ? ` <${e.ppid}` : ""}${e.argv ? ` ${e.argv.join(" ")}` : ""}${e.exit ? ` =${e.exit.status}` : ""}`);
    is(seen, ["spawn 1 ./fork_exec_wait", "fork 2 <1 ./fork_exec_wait", "exec 2 ./sleepy", "exit 2 =3", "reap 2", "exit 1 =0"], "events");
    ok(events.every((e) => e.tree === events[0].tree), "one tree");
  }]);

  cases.push(["statistics after fork_loop", async () => {
    const m = await lib.createMachine({ fs: host.fs });
    same(await m.spawn(["./fork_loop"], { cwd: binPath }).output(), await expected("fork_loop"));
    const s = m.stats();
    is([s.processes, s.execs, s.parentRanFirst], [1001, 1, 1000], "processes, execs, parent first");
    ok(s.instructions > 0 && s.peakFrames > 0 && s.cowCopies > 0, `core counters ${JSON.stringify(s)}`);
  }]);

  cases.push(["limits: processes (fork fails with EAGAIN)", async () => {
    const m = await lib.createMachine({ fs: host.fs, limits: { processes: 50 } });
    const r = await m.spawn(["./fork_loop"], { cwd: binPath }).output();
    is([r.stdout, r.stderr, r.status], ["", "fork: Resource temporarily unavailable\n", 1], "fork_loop under 50 processes");
  }]);

  cases.push(["limits: instructions (SIGXCPU)", async () => {
    const m = await lib.createMachine({ fs: host.fs, limits: { instructions: 100_000 } });
    const r = await m.spawn(["./fork_loop"], { cwd: binPath }).output();
    is([r.signal, r.status], [24, 152], "killed by SIGXCPU");
    ok(r.stderr.includes("instruction limit of 100000 reached"), r.stderr);
  }]);

  cases.push(["limits: memory (SIGKILL)", async () => {
    const m = await lib.createMachine({ fs: host.fs, limits: { memory: 4 << 20 } });
    const r = await m.spawn(["./fork_loop"], { cwd: binPath }).output();
    ok(/out of memory: killed pid \d+/.test(r.stderr), r.stderr);
    ok(r.status !== 0, "a killed fork_loop does not succeed");
  }]);

  cases.push(["kill: SIGTERM to a program blocked on stdin", async () => {
    const child = host.spawn(["./upcase"], { cwd: binPath, stdin: "pipe" });
    const out = child.output();
    await new Promise((r) => setTimeout(r, 20));
    child.kill(15);
    const r = await out;
    is([r.signal, r.code, r.status, r.stdout], [15, null, 143, ""], "killed by SIGTERM");
  }]);

  cases.push(["spawn errors: missing program, not an ELF", async () => {
    const m = await lib.createMachine({ fs: lib.memFs({ "/text": "just text\n" }, { executable: true }) });
    let err = null;
    try { m.spawn(["/nope"]); } catch (e) { err = e; }
    ok(err instanceof lib.SpawnError, `SpawnError, not ${err}`);
    is([err.errno, err.message], [2, "/nope: No such file or directory"], "ENOENT");
    try { m.spawn(["/text"]); err = null; } catch (e) { err = e; }
    is(err?.errno, 8, "ENOEXEC");
  }]);

  return cases;
}

// Run cases, print one line per failure, end with "N passed, M failed".
export async function runCases(cases, log) {
  let passed = 0, failed = 0;
  for (const [name, fn] of cases) {
    try { await fn(); passed++; log(`ok   ${name}`); } catch (e) { failed++; log(`FAIL ${name}: ${e?.message ?? e}`); }
  }
  log(`${passed} passed, ${failed} failed`);
  return failed;
}
