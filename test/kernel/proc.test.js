// The process kernel through the CLI where a native run cannot be the
// reference: memory that must not grow with processes reaped, frames that
// must all come back, --max-procs, --pid-max, and pid 1's exit.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { FIXTURES, forkbox } from "./helpers.js";

const BIN = `${FIXTURES}bin/i386`;
const statsOf = (r) => JSON.parse(r.stderr.trim().split("\n").pop());
const expected = (name) => JSON.parse(readFileSync(`${FIXTURES}expected/i386/${name}.json`, "utf8"));

test("peak frames do not grow with the number of children reaped", () => {
  const small = forkbox(["--stats", "./fork_many", "1000"], { cwd: BIN });
  const large = forkbox(["--stats", "./fork_many", "10000"], { cwd: BIN });
  assert.is(small.status, 0, small.stderr);
  assert.is(large.status, 0, large.stderr);
  assert.is(large.stdout, expected("fork_many").stdout);
  const a = statsOf(small), b = statsOf(large);
  assert.is(b.processes, 10001);
  assert.ok(b.peakFrames <= a.peakFrames * 1.05, `peak frames ${a.peakFrames} for 1,000 children, ${b.peakFrames} for 10,000`);
});

test("every frame is free again once all processes have ended", () => {
  for (const name of ["fork_cow", "fork_loop", "vfork_order", "posix_spawn", "exec_errors", "zombie_orphan"]) {
    const r = forkbox(["--stats", `./${name}`], { cwd: BIN });
    assert.is(statsOf(r).framesInUse, 0, name);
  }
});

test("--max-procs: fork fails with EAGAIN once the tree holds N processes", () => {
  // fork_loop keeps all its children as zombies until it has forked 1,000.
  const r = forkbox(["--stats", "--max-procs", "100", "./fork_loop"], { cwd: BIN });
  assert.is(r.status, 1);
  assert.match(r.stderr, /^fork: Resource temporarily unavailable\n/);
  assert.is(statsOf(r).processes, 100);
});

test("--max-procs contains a fork bomb while a worker finishes", () => {
  const r = forkbox(["--stats", "--max-procs=12", "./fork_bomb"], { cwd: BIN });
  assert.is(r.status, 0);
  assert.is(r.stdout, expected("fork_bomb").stdout);
  assert.ok(statsOf(r).processes <= 12 + 3 ** 6);
});

test("--max-procs and --pid-max reject bad values", () => {
  for (const args of [["--max-procs", "0"], ["--max-procs=x"], ["--pid-max", "300"], ["--pid-max"]]) {
    const r = forkbox([...args, "./exit0"], { cwd: BIN });
    assert.is(r.status, 127, args.join(" "));
    assert.match(r.stderr, /^forkbox: --(max-procs|pid-max) takes a number of at least \d+, not '.*'\n$/);
  }
});

test("--pid-max: pids wrap to 300 and stay below pid_max", () => {
  const r = forkbox(["--pid-max", "400", "./fork_many", "1000", "max-pid"], { cwd: BIN });
  assert.is(r.status, 0, r.stderr);
  const [first, second] = r.stdout.split("\n");
  assert.is(first, "forked and reaped 1000 children, exit status sum 124716");
  const max = Number(second.match(/^max pid (\d+)$/)[1]);
  assert.ok(max >= 300 && max < 400, `max pid ${max}`);
});

test("--pid-max: fork fails with EAGAIN when every pid is taken", () => {
  // 1,000 zombies at once need more pids than 1..399 offer.
  const r = forkbox(["--pid-max", "400", "./fork_loop"], { cwd: BIN });
  assert.is(r.status, 1);
  assert.is(r.stderr, "fork: Resource temporarily unavailable\n");
});

test("pid 1 exiting kills a sleeping child at once and gives its own status", () => {
  const r = forkbox(["--stats", "./init_exit_block"], { cwd: BIN });
  assert.is(r.status, 5);
  assert.is(statsOf(r).processes, 2);
});

test("pid 1 exiting: a child that never blocks is killed once the grace budget is spent", () => {
  const r = forkbox(["--stats", "./init_exit_spin"], { cwd: BIN });
  assert.is(r.status, 4);
  const { instructions } = statsOf(r);
  assert.ok(instructions > 50e6 && instructions < 52e6, `${instructions} instructions`);
});

test.run();
