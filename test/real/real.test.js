// Real programs from the host: shells (BusyBox, bash-static, dash, dynamic
// bash) running the scripts in scripts/, and dynamically linked coreutils.
// These binaries differ from machine to machine, so nothing is recorded: each
// case runs the same binary natively and under forkbox in the same test run,
// with the same arguments, cwd and environment, and compares stdout, stderr
// and exit status. The native run gets a session of its own (setsid), without
// a controlling terminal, as the guest has none when stdio is no terminal.
// Binaries that are missing are listed as not run (CI installs busybox-static
// and bash-static, see .ci/run).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { forkbox, ROOT } from "../kernel/helpers.js";

const HERE = `${ROOT}test/real/`;
const ENV = { PATH: "/usr/bin:/bin", LC_ALL: "C", TZ: "UTC" };

const SHELLS = [
  ["busybox sh", ["/bin/busybox", "sh"]],
  ["bash-static", ["/bin/bash-static"]],
  ["dash", ["/bin/dash"]],
  ["bash", ["/bin/bash"]],
];

// Scripts not every shell runs, scripts run as another user (perl sets the
// ids, then execs the shell, natively and under forkbox), and scripts whose
// shell is pid 1 of a pid namespace (natively under unshare). Both need root.
const SCRIPTS = {
  "ulimit.sh": { shells: ["busybox sh", "bash-static", "bash"] }, // dash has no ulimit -u
  // bash retries a failed fork for seconds, with output that depends on timing.
  "nproc.sh": { shells: ["busybox sh"], uid: 54321 },
  "init.sh": { init: true },
};
const PERL = "/usr/bin/perl", SETSID = "/usr/bin/setsid", UNSHARE = "/usr/bin/unshare";
const asUser = (uid) => [PERL, "-e", 'my $u = shift; $( = $u; $) = "$u $u"; $< = $> = $u; exec @ARGV or die "exec: $!"', uid];

const COREUTILS = [
  ["ls", ["-la", "tree"]],
  ["ls", ["-lR", "tree"]],
  ["cat", ["tree/words.txt", "tree/sub/inner.txt"]],
  ["sort", ["tree/words.txt"]],
  ["wc", ["tree/words.txt", "tree/sub/inner.txt"]],
  ["env", ["-i", "A=1", "B=two words"]],
  ["date", ["-u", "-d", "@0"]],
  ["date", ["-u", "-d", "@1234567890", "+%Y-%m-%d %H:%M:%S %j %a"]],
  ["uname", ["-a"]], // the host's names, as under qemu-user
  ["du", ["-a", "tree"]], // the directory's own order, as getdents gives it
  ["find", ["tree"]],
  ["cat", ["/proc/self/comm"]],
];

function native(argv) {
  const r = spawnSync(SETSID, ["-w", ...argv], { cwd: HERE, env: ENV, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 128 };
}

// nativePrefix runs only natively (unshare makes the shell pid 1 there; under forkbox it is).
function same(argv, nativePrefix = []) {
  const want = native([...nativePrefix, ...argv]);
  const got = forkbox(argv, { cwd: HERE, env: ENV });
  assert.is(got.stdout, want.stdout);
  assert.is(got.stderr, want.stderr);
  assert.is(got.status, want.status);
}

const notRun = [];
const scripts = readdirSync(`${HERE}scripts`).filter((f) => f.endsWith(".sh")).sort();
for (const [name, argv] of SHELLS) {
  if (!existsSync(argv[0])) { notRun.push(`${name}: ${argv[0]} is not installed`); continue; }
  for (const s of scripts) {
    const rule = SCRIPTS[s] ?? {};
    if (rule.shells && !rule.shells.includes(name)) continue;
    const needs = rule.uid !== undefined ? PERL : rule.init ? UNSHARE : null;
    if (needs && (process.getuid() !== 0 || !existsSync(needs))) {
      notRun.push(`${name} ${s}: needs root and ${needs}`);
      continue;
    }
    const prefix = rule.uid === undefined ? [] : asUser(String(rule.uid));
    const nativePrefix = rule.init ? [UNSHARE, "--pid", "--fork", "--kill-child"] : [];
    test(`${name} ${s} prints what it prints natively`, () => same([...prefix, ...argv, `scripts/${s}`], nativePrefix));
  }
}
for (const [prog, args] of COREUTILS) {
  const path = `/bin/${prog}`;
  if (!existsSync(path)) { notRun.push(`${prog}: ${path} is not installed`); continue; }
  test(`dynamic ${prog} ${args.join(" ")} matches the native run`, () => same([path, ...args]));
}

if (notRun.length) console.log(`test/real: not run here:\n  ${notRun.join("\n  ")}`);
test.run();
