// Rebuilds the i386 fixture programs from test/fixtures/src/ into
// test/fixtures/bin/i386/ and records what each does natively in
// test/fixtures/expected/<name>.json. test/fixtures/README.md has the format.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const srcDir = join(root, 'src');
const binDir = join(root, 'bin', 'i386');
const expectedDir = join(root, 'expected');
const cflags = ['-m32', '-static', '-O1', '-fno-stack-protector'];

function fail(message) {
  throw new Error(message);
}

// Tools run in src/ on bare file names so that no checkout path ends up in a
// binary: a rebuild on another machine with the same toolchain is byte-identical.
function tool(cmd, args, input) {
  return spawnSync(cmd, args, { cwd: srcDir, input, encoding: 'utf8' });
}

function build(cmd, args) {
  const r = tool(cmd, args);
  if (r.error || r.status !== 0) fail(`${cmd} ${args.join(' ')} failed:\n${r.error ?? r.stderr}`);
}

function checkTools(tmp) {
  const probes = [
    ['nasm', ['-v'], 'nasm'],
    ['perl', ['-v'], 'perl'],
    ['ld', ['-V'], 'binutils'],
    // gcc alone is not enough: -m32 -static needs the i386 libc and libgcc.
    ['gcc', [...cflags, '-x', 'c', '-', '-o', join(tmp, 'probe')], 'gcc-multilib', 'int main(void) { return 0; }'],
  ];
  for (const [cmd, args, pkg, input] of probes) {
    const r = tool(cmd, args, input);
    if (r.error || r.status !== 0) fail(`${cmd} ${args[0]} does not work: install the Debian package ${pkg}`);
  }
}

function buildAll(tmp) {
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true });
  const built = [];
  for (const file of readdirSync(srcDir).sort()) {
    const { name, ext } = parse(file);
    const out = join(binDir, name);
    if (ext === '.asm') {
      const obj = join(tmp, `${name}.o`);
      build('nasm', ['-f', 'elf32', '-o', obj, file]);
      build('ld', ['-m', 'elf_i386', '-o', out, obj]);
    } else if (ext === '.c') {
      build('gcc', [...cflags, '-o', out, file]);
    } else {
      continue; // an include file
    }
    built.push(name);
  }
  return built;
}

// The fixture leads its own process group, as pid 1 does under forkbox, so that
// kill(0, sig) reaches only its processes; like a shell's job, the group stays in
// this session and is not orphaned (SIGTSTP stops it). stdin is /dev/null, or with
// "stdin": "open" a pipe that stays open and silent until the program exits.
const OWN_GROUP = ['-e', 'setpgrp(0, 0); exec { $ARGV[0] } @ARGV or die "exec: $!"'];

function runNative({ name, args, env, stdin }) {
  return new Promise((resolve, reject) => {
    const child = spawn('perl', [...OWN_GROUP, `./${name}`, ...args], {
      cwd: binDir, env, stdio: [stdin === 'open' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      resolve({ stdout, stderr, status: signal ? 128 + constants.signals[signal] : code });
    });
  });
}

const manifest = JSON.parse(readFileSync(join(root, 'fixtures.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'forkbox-fixtures-'));
try {
  checkTools(tmp);
  const built = buildAll(tmp);
  const listed = manifest.map((f) => f.name);
  const unlisted = built.filter((n) => !listed.includes(n));
  const missing = listed.filter((n) => !built.includes(n));
  if (unlisted.length) fail(`not in fixtures.json: ${unlisted.join(', ')}`);
  if (missing.length) fail(`no source in src/ for: ${missing.join(', ')}`);

  rmSync(expectedDir, { recursive: true, force: true });
  mkdirSync(expectedDir);
  for (const fixture of manifest) {
    // Sorted, so that environ's order (which programs can see) is fixed.
    const env = Object.fromEntries(Object.entries(fixture.env).sort(([a], [b]) => (a < b ? -1 : 1)));
    const run = { ...fixture, env };
    const first = await runNative(run);
    const second = await runNative(run);
    if (JSON.stringify(first) !== JSON.stringify(second)) {
      fail(`${fixture.name} is not deterministic:\n${JSON.stringify(first)}\n${JSON.stringify(second)}`);
    }
    const expected = { args: fixture.args, env, ...first };
    writeFileSync(join(expectedDir, `${fixture.name}.json`), `${JSON.stringify(expected, null, 2)}\n`);
    const out = `${first.stdout.split('\n').length - 1} stdout lines, ${first.stderr.length} stderr bytes`;
    console.log(`${fixture.name.padEnd(16)} status ${String(first.status).padEnd(4)} ${out}`);
  }
} catch (e) {
  console.error(`fixtures: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
