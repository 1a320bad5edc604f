// Rebuilds the vDSO images host/kernel/vdso/vdso{32,64}.so from their NASM
// sources, version scripts and the shared linker script. The images are
// committed (npm install needs no assembler); this needs Debian's nasm and
// binutils. Run from any folder: tools get bare file names, so no path ends
// up in an image and a rebuild is byte-identical.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from './toolchain.js';

const dir = new URL('../host/kernel/vdso/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'forkbox-vdso-'));
try {
  for (const [bits, format, emulation] of [[64, 'elf64', 'elf_x86_64'], [32, 'elf32', 'elf_i386']]) {
    const obj = join(tmp, `vdso${bits}.o`);
    build(dir, 'nasm', ['-f', format, '-o', obj, `vdso${bits}.asm`]);
    build(dir, 'ld', ['-shared', '-m', emulation, '--hash-style=both', '-soname', 'linux-vdso.so.1',
      `--version-script=vdso${bits}.map`, '-T', 'vdso.lds', '--build-id=none', '-z', 'max-page-size=4096',
      '-z', 'noexecstack', '-o', `vdso${bits}.so`, obj]);
    console.log(`host/kernel/vdso/vdso${bits}.so`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
