// Interactive use at a terminal: `forkbox /bin/bash` and native /bin/bash,
// each in a tmux session of the same size, get the same keystrokes (a
// pipeline, line editing, ^Z of a job, jobs, fg, ^C, cat in canonical mode,
// a window resize, exit); their screens must match. forkbox in the
// background of the host's shell runs on untouched. After forkbox exits
// (normally, on ^C, when the guest dies by a signal, when forkbox gets
// SIGTERM) and while ^Z has it stopped as a job of the host's shell, the
// terminal's modes (stty -g) must be those it found. Not run without tmux or
// /bin/bash.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../kernel/helpers.js";

const TMUX = "/usr/bin/tmux", BASH = "/bin/bash";
const CLI = `${ROOT}dist/cli.js`;
const SOCKET = `forkbox-test-${process.pid}`;
const ENV = "env -i PATH=/usr/bin:/bin TERM=xterm LC_ALL=C HOME=/ PS1='$ '";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tmux(...args) {
  const r = spawnSync(TMUX, ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

// The screen without trailing blanks.
const pane = (s) => tmux("capture-pane", "-p", "-t", s).replace(/[ \t]+$/gm, "").replace(/\n+$/, "");
const lines = (p) => p.split("\n");
const prompts = (n) => (p) => lines(p).filter((l) => /^\$( |$)/.test(l)).length >= n && lines(p).at(-1) === "$";
const lastLine = (text) => (p) => lines(p).at(-1) === text;
const shows = (text) => (p) => p.includes(text);

async function until(s, done, what) {
  for (let i = 0; i < 300; i++) {
    const p = pane(s);
    if (done(p)) return p;
    await sleep(100);
  }
  throw new Error(`${s}: no ${what} after 30 s; the screen:\n${pane(s)}`);
}

// A session running a program (bash, natively or under forkbox) between two stty -g snapshots.
function start(name, dir, prog, args = "--norc --noprofile") {
  const cmd = `stty -g > ${dir}/${name}.before; ${ENV} ${prog} ${args}; st=$?; ` +
    `stty -g > ${dir}/${name}.after; echo "exited $st"; exec sleep 1000`;
  tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", cmd);
}

const forkboxBash = `${process.execPath} ${CLI} ${BASH}`;

// Each step: keys to send (tmux send-keys names), what the screen shows once it is done,
// and how long to let it settle (a job must be running before ^Z or ^C reaches it).
const STEPS = [
  { keys: [], done: prompts(1), what: "first prompt" },
  { keys: ["echo hello | tr a-z A-Z", "Enter"], done: prompts(2), what: "pipeline" },
  { keys: ["echo abc", "BSpace", "d", "Enter"], done: prompts(3), what: "edited line" },
  { keys: ["sleep 100", "Enter"], done: lastLine("$ sleep 100"), what: "sleep", settle: 1000 },
  { keys: ["C-z"], done: prompts(4), what: "stopped job" },
  { keys: ["jobs", "Enter"], done: prompts(5), what: "jobs" },
  { keys: ["fg", "Enter"], done: lastLine("sleep 100"), what: "fg", settle: 1000 },
  { keys: ["C-c"], done: prompts(6), what: "interrupted job" },
  { keys: ["echo status $?", "Enter"], done: prompts(7), what: "status" },
  { keys: ["cat", "Enter"], done: lastLine("$ cat"), what: "cat", settle: 500 },
  { keys: ["lime", "BSpace", "BSpace", "ne one", "Enter"], done: shows("line one\nline one"), what: "cat's line" },
  { keys: ["C-d"], done: prompts(8), what: "cat's end" },
  { keys: ["stty size", "Enter"], done: prompts(9), what: "size" },
  { resize: true, keys: ["stty size", "Enter"], done: prompts(10), what: "size after resize" },
  { keys: ["exit", "Enter"], done: shows("exited 0"), what: "exit" },
];

async function play(s) {
  for (const step of STEPS) {
    if (step.resize) {
      tmux("resize-window", "-t", s, "-x", "100", "-y", "30");
      await sleep(500);
    }
    if (step.keys.length) tmux("send-keys", "-t", s, ...step.keys);
    await until(s, step.done, step.what);
    if (step.settle) await sleep(step.settle);
  }
  return pane(s);
}

const missing = [TMUX, BASH, CLI].filter((p) => !existsSync(p));
if (missing.length) {
  console.log(`test/real/tmux: not run here: ${missing.join(", ")} missing`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "forkbox-tmux-"));
  const modes = (name) => [readFileSync(`${dir}/${name}.before`, "utf8"), readFileSync(`${dir}/${name}.after`, "utf8")];

  test.after(() => {
    try { tmux("kill-server"); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  });

  test("bash under forkbox shows what native bash shows for the same keystrokes", async () => {
    start("native", dir, BASH);
    start("forkbox", dir, forkboxBash);
    const [want, got] = await Promise.all([play("native"), play("forkbox")]);
    assert.is(got, want);
    const [before, after] = modes("forkbox");
    assert.is(after, before, "terminal modes after forkbox exited");
  });

  test("^Z stops forkbox as a job of the host's shell, with the terminal restored; fg resumes it", async () => {
    tmux("new-session", "-d", "-s", "host", "-x", "250", "-y", "24", `${ENV} ${BASH} --norc --noprofile`);
    await until("host", prompts(1), "host prompt");
    const keys = async (text, done, what) => { tmux("send-keys", "-t", "host", ...text); await until("host", done, what); };
    await keys([`stty -g > ${dir}/job.before; ${process.execPath} ${CLI} /bin/cat`, "Enter"], lastLine(`$ stty -g > ${dir}/job.before; ${process.execPath} ${CLI} /bin/cat`), "cat");
    await sleep(1000);
    await keys(["abc", "Enter"], shows("abc\nabc"), "cat's echo and output");
    await keys(["C-z"], prompts(2), "forkbox stopped");
    await keys([`stty -g > ${dir}/job.stopped; fg`, "Enter"], lastLine(`${process.execPath} ${CLI} /bin/cat`), "fg");
    await sleep(1000);
    await keys(["xyz", "Enter"], shows("xyz\nxyz"), "cat's echo and output after fg");
    await keys(["C-d"], prompts(3), "cat's end");
    await keys([`stty -g > ${dir}/job.after`, "Enter"], prompts(4), "stty");
    const screen = pane("host");
    assert.match(screen, /\^Z\n\[1\]\+ +Stopped +\S+ \S+ \/bin\/cat\n/);
    const read = (n) => readFileSync(`${dir}/job.${n}`, "utf8");
    assert.is(read("stopped"), read("before"), "modes while forkbox is stopped");
    assert.is(read("after"), read("before"), "modes after");
  });

  test("forkbox as a background job of the host's shell runs on without touching the terminal", async () => {
    tmux("new-session", "-d", "-s", "bg", "-x", "250", "-y", "24", `${ENV} ${BASH} --norc --noprofile`);
    await until("bg", prompts(1), "host prompt");
    tmux("send-keys", "-t", "bg", `${process.execPath} ${CLI} /bin/sh -c 'sleep 1; echo $((6 * 7)) done' &`, "Enter");
    await until("bg", shows("42 done"), "the job's output");
    await sleep(500);
    tmux("send-keys", "-t", "bg", "jobs; echo listed", "Enter");
    const screen = await until("bg", (p) => shows("\nlisted")(p) && lastLine("$")(p), "jobs");
    assert.match(screen, /\[1\]\+ +Done +\S+ \S+ \/bin\/sh/, screen);
    assert.not.match(screen, /Stopped/);
  });

  // (pid 1 is the guest's init, which ignores kill -9 from inside: this one divides by zero.)
  test("the terminal is restored when the guest dies by a signal", async () => {
    start("killed", dir, `${process.execPath} ${CLI}`, `${ROOT}test/fixtures/bin/i386/trap_div0`);
    await until("killed", shows("exited 136"), "exit status 136");
    const [before, after] = modes("killed");
    assert.is(after, before);
  });

  test("^C ends a program that is pid 1, and the terminal is restored", async () => {
    start("intr", dir, `${process.execPath} ${CLI}`, "/bin/cat");
    await sleep(1000);
    tmux("send-keys", "-t", "intr", "typed");
    await until("intr", shows("typed"), "echo");
    tmux("send-keys", "-t", "intr", "C-c");
    await until("intr", shows("typed^Cexited 130"), "^C echoed and exit status 130");
    const [before, after] = modes("intr");
    assert.is(after, before);
  });

  test("the terminal is restored when forkbox gets SIGTERM", async () => {
    start("term", dir, forkboxBash);
    await until("term", prompts(1), "prompt");
    const sh = tmux("display-message", "-p", "-t", "term", "#{pane_pid}").trim();
    const node = readFileSync(`/proc/${sh}/task/${sh}/children`, "utf8").trim().split(/\s+/)[0];
    process.kill(Number(node), "SIGTERM");
    await until("term", shows("exited 143"), "exit status 143");
    const [before, after] = modes("term");
    assert.is(after, before);
  });
}

test.run();
