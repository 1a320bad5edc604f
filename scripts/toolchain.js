// Building static x86 programs from NASM and C sources, shared by
// scripts/fixtures.js (test fixtures) and scripts/bench-programs.js.
// Tools run in the source folder on bare file names so that no checkout path
// ends up in a binary: a rebuild with the same toolchain is byte-identical.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CFLAGS_I386 = ['-m32', '-static', '-O1', '-fno-stack-protector'];

export function fail(message) {
  throw new Error(message);
}

export function tool(cwd, cmd, args, input) {
  return spawnSync(cmd, args, { cwd, input, encoding: 'utf8' });
}

export function build(cwd, cmd, args) {
  const r = tool(cwd, cmd, args);
  if (r.error || r.status !== 0) fail(`${cmd} ${args.join(' ')} failed:\n${r.error ?? r.stderr}`);
}

// Fails with the Debian package to install when a compiler cannot build a
// trivial program. compilers: [[command, flags, package]].
export function checkTools(cwd, tmp, compilers) {
  const probes = [
    ['nasm', ['-v'], 'nasm'],
    ['ld', ['-V'], 'binutils'],
    ...compilers.map(([cmd, flags, pkg]) => [cmd, [...flags, '-x', 'c', '-', '-o', join(tmp, 'probe')], pkg, 'int main(void) { return 0; }']),
  ];
  for (const [cmd, args, pkg, input] of probes) {
    const r = tool(cwd, cmd, args, input);
    if (r.error || r.status !== 0) fail(`${cmd} ${args[0]} does not work: install the Debian package ${pkg}`);
  }
}

// A NASM source (elf32, int 0x80) linked into a static i386 executable.
// includes: extra -I folders, relative to cwd.
export function buildNasm(cwd, file, out, tmp, includes = []) {
  const obj = join(tmp, `${file}.o`);
  build(cwd, 'nasm', ['-f', 'elf32', ...includes.map((d) => `-I${d}/`), '-o', obj, file]);
  build(cwd, 'ld', ['-m', 'elf_i386', '-o', out, obj]);
}
