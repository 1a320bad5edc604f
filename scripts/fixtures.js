// Rebuilds the fixture programs from test/fixtures/src/ into
// test/fixtures/bin/<arch>/, copies the data files they use (src/files/, modes in
// files.json) beside them, and records what each does natively in
// test/fixtures/expected/<arch>/<binary>.json. test/fixtures/README.md has the format.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import { ARCHES, FIXTURES, fixtureRuns, readManifest } from '../test/fixtures/manifest.js';
import { CFLAGS_I386, build, buildNasm, checkTools, fail, tool } from './toolchain.js';

const srcDir = join(FIXTURES, 'src');
const expectedDir = join(FIXTURES, 'expected');
const common = CFLAGS_I386.filter((f) => f !== '-m32');
// How each (arch, libc) pair compiles C.
const compilers = {
  'i386 glibc': ['gcc', CFLAGS_I386, 'gcc-multilib'],
  'x86_64 glibc': ['gcc', common, 'gcc'],
  'x86_64 musl': ['musl-gcc', common, 'musl-tools'],
};

function buildAll(tmp, runs) {
  for (const arch of ARCHES) {
    rmSync(join(FIXTURES, 'bin', arch), { recursive: true, force: true });
    mkdirSync(join(FIXTURES, 'bin', arch), { recursive: true });
  }
  const sources = readdirSync(srcDir).filter((f) => ['.asm', '.c'].includes(parse(f).ext));
  const names = sources.map((f) => parse(f).name);
  const listed = [...new Set(runs.map((r) => r.name))];
  const unlisted = names.filter((n) => !listed.includes(n));
  const missing = listed.filter((n) => !names.includes(n));
  if (unlisted.length) fail(`not in fixtures.json: ${unlisted.join(', ')}`);
  if (missing.length) fail(`no source in src/ for: ${missing.join(', ')}`);
  for (const run of runs) {
    const out = join(run.binDir, run.bin);
    if (run.libc === 'none') {
      if (run.arch !== 'i386') fail(`${run.name}: NASM fixtures are i386 only`);
      buildNasm(srcDir, `${run.name}.asm`, out, tmp);
    } else {
      const [cmd, flags] = compilers[`${run.arch} ${run.libc}`];
      build(srcDir, cmd, [...flags, '-o', out, `${run.name}.c`, '-lm']);
    }
  }
}

// Scripts, garbage and non-executable files that execve fixtures need, with fixed modes.
function copyFiles() {
  const modes = JSON.parse(readFileSync(join(FIXTURES, 'files.json'), 'utf8'));
  const present = readdirSync(join(srcDir, 'files')).sort();
  const listed = Object.keys(modes).sort();
  if (JSON.stringify(present) !== JSON.stringify(listed)) fail(`src/files/ and files.json differ: ${present} vs ${listed}`);
  for (const arch of ARCHES) {
    for (const [name, mode] of Object.entries(modes)) {
      const out = join(FIXTURES, 'bin', arch, name);
      copyFileSync(join(srcDir, 'files', name), out);
      chmodSync(out, parseInt(mode, 8));
    }
  }
}

// The fixture leads its own process group, as pid 1 does under forkbox, so that
// kill(0, sig) reaches only its processes; like a shell's job, the group stays in
// this session and is not orphaned (SIGTSTP stops it). stdin is /dev/null, the
// manifest's text, or with "stdin": "open" a pipe that stays open and silent
// until the program exits.
const OWN_GROUP = ['-e', 'setpgrp(0, 0); exec { $ARGV[0] } @ARGV or die "exec: $!"'];

function runNative(run) {
  return new Promise((resolve, reject) => {
    const child = spawn('perl', [...OWN_GROUP, `./${run.bin}`, ...run.args], {
      cwd: run.binDir, env: run.env, stdio: [run.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (typeof run.stdin === 'string' && run.stdin !== 'open') child.stdin.end(run.stdin);
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      // A fixture may leave an orphan behind on purpose (one that sleeps after pid 1 exits).
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ }
      resolve({ stdout, stderr, status: signal ? 128 + constants.signals[signal] : code });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'forkbox-fixtures-'));
try {
  checkTools(srcDir, tmp, Object.values(compilers));
  if (tool(srcDir, 'perl', ['-v']).status !== 0) fail('perl -v does not work: install the Debian package perl');
  const runs = fixtureRuns(readManifest());
  buildAll(tmp, runs);
  copyFiles();
  // `npm run fixtures -- NAME...` records only those fixtures' expectations.
  const only = process.argv.slice(2);
  if (!only.length) rmSync(expectedDir, { recursive: true, force: true });
  for (const arch of ARCHES) mkdirSync(join(expectedDir, arch), { recursive: true });
  for (const run of runs.filter((r) => !only.length || only.includes(r.name))) {
    const first = await runNative(run);
    const second = await runNative(run);
    if (JSON.stringify(first) !== JSON.stringify(second)) {
      fail(`${run.arch}/${run.bin} is not deterministic:\n${JSON.stringify(first)}\n${JSON.stringify(second)}`);
    }
    const expected = { args: run.args, env: run.env, ...first };
    writeFileSync(run.expectedFile, `${JSON.stringify(expected, null, 2)}\n`);
    const out = `${first.stdout.split('\n').length - 1} stdout lines, ${first.stderr.length} stderr bytes`;
    console.log(`${`${run.arch}/${run.bin}`.padEnd(24)} status ${String(first.status).padEnd(4)} ${out}`);
  }
} catch (e) {
  console.error(`fixtures: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
