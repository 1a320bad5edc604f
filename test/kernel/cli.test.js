// The command line: help, version, and one clear line for bad input.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { FIXTURES, forkbox } from "./helpers.js";

const tmp = mkdtempSync(`${tmpdir()}/forkbox-cli-`);
const oneLine = (s) => s.trim().split("\n").length === 1 && !/\bat\s.+:\d+:\d+/.test(s);

test("--help and --version", () => {
  const h = forkbox(["--help"]);
  assert.is(h.status, 0);
  assert.match(h.stdout, /usage: forkbox/);
  const v = forkbox(["--version"]);
  assert.is(v.status, 0);
  assert.match(v.stdout, /^forkbox \d+\.\d+\.\d+\n$/);
});

// The trace lines themselves are checked against native strace in test/strace/.
test("--strace: the trace goes to stderr with the guest's output intact", () => {
  const r = forkbox(["./fork_print"], { cwd: `${FIXTURES}bin/i386`, options: ["--strace"] });
  assert.is(r.status, 0);
  assert.is(r.stdout, "child\nparent\n");
  const lines = r.stderr.split("\n");
  assert.match(lines[0], /^execve\("\.\/fork_print", \["\.\/fork_print"\], 0x[0-9a-f]+ \/\* 0 vars \*\/\) = 0$/);
  assert.is(lines[1], "[ Process PID=1 runs in 32 bit mode. ]");
  assert.ok(lines.includes('[pid     2] write(1, "child\\n", 6)      = 6'), r.stderr);
  assert.ok(lines.includes("+++ exited with 0 +++"), r.stderr);
});

test("--strace-file without a file name, or one that cannot be written: 127", () => {
  const none = forkbox(["--strace-file"]);
  assert.is(none.status, 127);
  assert.ok(oneLine(none.stderr), none.stderr);
  const bad = forkbox(["--strace-file", `${tmp}/no/such/dir/trace`, `${FIXTURES}bin/i386/exit0`]);
  assert.is(bad.status, 127);
  assert.ok(oneLine(bad.stderr), bad.stderr);
});

test("a missing program: 127", () => {
  const r = forkbox([`${tmp}/nope`]);
  assert.is(r.status, 127);
  assert.is(r.stderr, `forkbox: ${tmp}/nope: No such file or directory\n`);
});

test("not an ELF file: 126", () => {
  writeFileSync(`${tmp}/text`, "just text\n");
  chmodSync(`${tmp}/text`, 0o755);
  const r = forkbox([`${tmp}/text`]);
  assert.is(r.status, 126);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, /Exec format error/);
});

test("a truncated ELF file: 126", () => {
  const elf = readFileSync(`${FIXTURES}bin/i386/hello_c`);
  writeFileSync(`${tmp}/trunc`, elf.subarray(0, 300));
  chmodSync(`${tmp}/trunc`, 0o755);
  const r = forkbox([`${tmp}/trunc`]);
  assert.is(r.status, 126);
  assert.ok(oneLine(r.stderr), r.stderr);
});

test("a file without execute permission: 126", () => {
  writeFileSync(`${tmp}/noexec`, readFileSync(`${FIXTURES}bin/i386/exit0`));
  chmodSync(`${tmp}/noexec`, 0o644);
  const r = forkbox([`${tmp}/noexec`]);
  assert.is(r.status, 126);
  assert.match(r.stderr, /Permission denied/);
});

test("an unknown option and no program", () => {
  const r = forkbox(["--bogus", "x"]);
  assert.is(r.status, 127);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, /unknown option '--bogus'/);
  const n = forkbox([]);
  assert.is(n.status, 127);
  assert.ok(oneLine(n.stderr), n.stderr);
});

test("--stats prints JSON counters", () => {
  const r = forkbox(["--stats", "./fork_loop"], { cwd: `${FIXTURES}bin/i386` });
  assert.is(r.status, 0);
  const stats = JSON.parse(r.stderr.trim().split("\n").pop());
  assert.is(stats.processes, 1001);
  assert.is(stats.parentRanFirst, 1000);
  assert.ok(stats.instructions > 0 && stats.peakFrames > 0);
});

test("--first child makes every child run before its parent resumes", () => {
  const r = forkbox(["--stats", "--first", "child", "./fork_loop"], { cwd: `${FIXTURES}bin/i386` });
  assert.is(r.status, 0);
  const stats = JSON.parse(r.stderr.trim().split("\n").pop());
  assert.is(stats.childRanFirst, 1000);
});

test.run();
