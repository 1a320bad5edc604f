// Rebuilds the i386 fixture programs from test/fixtures/src/ into
// test/fixtures/bin/i386/ and records what each does natively in
// test/fixtures/expected/<name>.json. test/fixtures/README.md has the format.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CFLAGS_I386 as cflags, build, buildNasm, checkTools, fail } from './toolchain.js';

const root = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const srcDir = join(root, 'src');
const binDir = join(root, 'bin', 'i386');
const expectedDir = join(root, 'expected');

function buildAll(tmp) {
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true });
  const built = [];
  for (const file of readdirSync(srcDir).sort()) {
    const { name, ext } = parse(file);
    const out = join(binDir, name);
    if (ext === '.asm') {
      buildNasm(srcDir, file, out, tmp);
    } else if (ext === '.c') {
      build(srcDir, 'gcc', [...cflags, '-o', out, file]);
    } else {
      continue; // an include file
    }
    built.push(name);
  }
  return built;
}

function runNative({ name, args, env }) {
  const r = spawnSync(`./${name}`, args, {
    cwd: binDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) fail(`${name}: ${r.error.message}`);
  const status = r.signal ? 128 + constants.signals[r.signal] : r.status;
  return { stdout: r.stdout, stderr: r.stderr, status };
}

const manifest = JSON.parse(readFileSync(join(root, 'fixtures.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'forkbox-fixtures-'));
try {
  checkTools(srcDir, tmp, [['gcc', cflags, 'gcc-multilib']]);
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
    const first = runNative(run);
    const second = runNative(run);
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
