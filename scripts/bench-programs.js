// Rebuilds the benchmark programs from bench/programs/ into bench/bin/:
// NASM sources as i386 int 0x80 programs, C sources twice, as a glibc
// `gcc -m32 -static` build (<name>_i386) and a `musl-gcc -static` x86-64
// build (<name>_x64). bench/README.md describes the programs.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CFLAGS_I386, build, buildNasm, checkTools } from './toolchain.js';

const root = fileURLToPath(new URL('../bench/', import.meta.url));
const srcDir = join(root, 'programs');
const binDir = join(root, 'bin');
const CFLAGS_X64 = ['-static', '-O1', '-fno-stack-protector'];

const tmp = mkdtempSync(join(tmpdir(), 'forkbox-bench-'));
try {
  checkTools(srcDir, tmp, [['gcc', CFLAGS_I386, 'gcc-multilib'], ['musl-gcc', CFLAGS_X64, 'musl-tools']]);
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true });
  for (const file of readdirSync(srcDir).sort()) {
    const { name, ext } = parse(file);
    if (ext === '.asm') {
      buildNasm(srcDir, file, join(binDir, name), tmp, ['../../test/fixtures/src']);
      console.log(name);
    } else if (ext === '.c') {
      build(srcDir, 'gcc', [...CFLAGS_I386, '-o', join(binDir, `${name}_i386`), file]);
      build(srcDir, 'musl-gcc', [...CFLAGS_X64, '-o', join(binDir, `${name}_x64`), file]);
      console.log(`${name}_i386 ${name}_x64`);
    }
  }
} catch (e) {
  console.error(`bench-programs: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
