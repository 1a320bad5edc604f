// npm run bench [-- --full] [--only SUITE,...]: whole-process benchmarks of
// forkbox against native Linux and qemu-user, measured side by side in one
// run. Prints a table, writes bench/results.json and the figures section of
// bench/README.md. bench/README.md says what each suite measures.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, 'bin');
const cli = join(here, '..', 'dist', 'cli.js');
const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;

const SIZES = {
  spawn: full ? [1000, 10000, 100000] : [1000, 10000],
  forkexec: full ? 10000 : 2000,
  cpuRounds: full ? 400 : 40, // 400 rounds take about 1 s natively
  latency: full ? [10000, 100000] : [1000, 10000],
  idle: [100, 10000],
  idleQemu: [10, 300], // a qemu-user child is a whole emulator process: keep the tree small
  first: 10000,
};
const SPAWN_BUILDS = ['spawn_asm', 'spawn_i386', 'spawn_x64'];

// ---- running one program --------------------------------------------------

const is64 = (name) => readFileSync(join(bin, name))[4] === 2; // EI_CLASS
const ENGINES = {
  native: (prog, argv) => [join(bin, prog), argv],
  qemu: (prog, argv) => [is64(prog) ? 'qemu-x86_64' : 'qemu-i386', [join(bin, prog), ...argv]],
  forkbox: (prog, argv, opts = []) => [process.execPath, [cli, '--stats', ...opts, join(bin, prog), ...argv]],
};

// Runs to completion with stdout to a file; wall time in ms, forkbox's --stats.
function runOnce(engine, prog, argv, opts) {
  const [cmd, cmdArgs] = ENGINES[engine](prog, argv, opts);
  const outPath = join(tmpdir(), `forkbox-bench-${process.pid}.out`);
  const out = openSync(outPath, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs, { cwd: bin, stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  closeSync(out);
  const stdout = readFileSync(outPath, 'utf8');
  let stats = null;
  if (engine === 'forkbox') {
    const last = r.stderr.trimEnd().split('\n').pop();
    try { stats = JSON.parse(last); } catch { stats = null; }
  }
  const ok = r.status === 0;
  const error = ok ? null : (r.stderr.split('\n').find((l) => l.trim()) ?? `exit ${r.status ?? r.signal}`).slice(0, 120);
  return { ms, stdout, stats, ok, error };
}

// For each j, whether "j parent" or "j child" came first; and whether every
// line of the experiment is there exactly once.
function whoRanFirst(stdout, n) {
  const seen = new Uint8Array(n);
  let parent = 0, child = 0, lines = 0;
  for (const line of stdout.split('\n')) {
    const m = line.match(/^(\d+) (parent|child)$/);
    if (!m) continue;
    lines++;
    const j = Number(m[1]);
    if (!seen[j]) { if (m[2] === 'parent') parent++; else child++; }
    seen[j] |= m[2] === 'parent' ? 1 : 2;
  }
  return { parent, child, complete: lines === 2 * n && seen.every((s) => s === 3) };
}

// ---- host memory of a tree of idle processes --------------------------------

function kib(path, field) {
  try {
    const m = readFileSync(path, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

function descendants(pid) {
  const out = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    for (const task of safeReaddir(`/proc/${p}/task`)) {
      const kids = safeRead(`/proc/${p}/task/${task}/children`).trim();
      if (kids) stack.push(...kids.split(' ').map(Number));
    }
  }
  return out;
}
const safeReaddir = (p) => { try { return readdirSync(p); } catch { return []; } };
const safeRead = (p) => { try { return readFileSync(p, 'utf8'); } catch { return ''; } };

// Host memory of the whole tree in KiB: its processes' proportional set
// sizes, plus what the kernel holds for them (kernel stacks, page tables,
// unreclaimable slab such as task and mm structs), read system-wide as the
// growth since `base`. forkbox is one host process, so for it this is
// essentially its resident size.
const KERNEL_FIELDS = ['KernelStack', 'PageTables', 'SUnreclaim'];
const kernelKiB = () => KERNEL_FIELDS.reduce((s, f) => s + kib('/proc/meminfo', f), 0);
const treeKiB = (pid, base) =>
  descendants(pid).reduce((s, p) => s + kib(`/proc/${p}/smaps_rollup`, 'Pss'), 0) + kernelKiB() - base;

// idle N: once it prints "ready", wait until the memory stops growing (the
// children still have to block), measure, then close stdin: the parent then
// kills them.
function idleRun(engine, n) {
  const [cmd, cmdArgs] = ENGINES[engine]('idle', [String(n)]);
  const base = kernelKiB();
  const child = spawn(cmd, cmdArgs, { cwd: bin, stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve) => {
    let out = '';
    let measured = null;
    child.stdout.on('data', async (d) => {
      out += d;
      if (measured !== null || !out.includes('ready')) return;
      measured = 0;
      let prev = -1;
      // At most ~6 s: the kernel's counters are system-wide and other load moves them.
      for (let stable = 0, tries = 0; stable < 3 && tries < 20; tries++) {
        await new Promise((r) => setTimeout(r, 300));
        const now = treeKiB(child.pid, base);
        stable = Math.abs(now - prev) <= prev / 200 ? stable + 1 : 0;
        prev = now;
      }
      measured = prev;
      child.stdin.end();
    });
    child.on('exit', (status) => resolve({ kib: measured, ok: status === 0 && measured !== null }));
  });
}

// ---- suites ------------------------------------------------------------------

const results = { machine: machine(), full, date: new Date().toISOString(), suites: {} };
const rows = [];

function row(suite, what, fields) {
  rows.push({ suite, what, ...fields });
  const cells = Object.entries(fields).map(([k, v]) => `${k} ${v}`).join('  ');
  console.log(`${suite.padEnd(10)} ${what.padEnd(26)} ${cells}`);
}

const fmt = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)}s` : `${ms.toFixed(0)}ms`);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : '-');

// One program on all three engines; a failing engine is reported, not fatal.
function sideBySide(prog, argv) {
  const r = {};
  for (const e of Object.keys(ENGINES)) r[e] = runOnce(e, prog, argv);
  return r;
}

function cell(run) { return run.ok ? fmt(run.ms) : 'not yet runnable'; }

const suites = {
  spawn() {
    const out = [];
    for (const prog of SPAWN_BUILDS) {
      for (const n of SIZES.spawn) {
        const r = sideBySide(prog, [String(n)]);
        const entry = { prog, n };
        for (const [e, run] of Object.entries(r)) {
          const first = run.ok ? whoRanFirst(run.stdout, n) : null;
          if (run.ok && !first.complete) { run.ok = false; run.error = 'incomplete output'; }
          entry[e] = { ms: run.ok ? run.ms : null, usPerChild: run.ok ? (run.ms * 1000) / n : null, first, error: run.error };
        }
        out.push(entry);
        const fb = entry.forkbox.ms, nat = entry.native.ms, q = entry.qemu.ms;
        row('spawn', `${prog} ${n}`, {
          native: cell(r.native), qemu: cell(r.qemu), forkbox: cell(r.forkbox),
          'fb/native': ratio(fb, nat), 'fb/qemu': ratio(fb, q),
          ...(r.forkbox.ok ? {} : { why: r.forkbox.error }),
        });
      }
    }
    return out;
  },

  first() {
    const out = [];
    for (const prog of SPAWN_BUILDS) {
      const n = SIZES.first;
      const nat = runOnce('native', prog, [String(n)]);
      if (nat.ok) {
        const f = whoRanFirst(nat.stdout, n);
        out.push({ prog, n, engine: 'native', parent: f.parent, child: f.child });
        row('first', `${prog} ${n} native`, { parent: f.parent, child: f.child });
      }
      for (const policy of ['parent', 'child', 'random:1']) {
        const run = runOnce('forkbox', prog, [String(n)], ['--first', policy]);
        if (!run.ok) { row('first', `${prog} ${n} ${policy}`, { forkbox: 'not yet runnable', why: run.error }); continue; }
        const f = whoRanFirst(run.stdout, n);
        out.push({ prog, n, engine: `forkbox --first ${policy}`, parent: f.parent, child: f.child, ms: run.ms,
          statsParentFirst: run.stats?.parentRanFirst, statsChildFirst: run.stats?.childRanFirst });
        row('first', `${prog} ${n} ${policy}`, { parent: f.parent, child: f.child, time: fmt(run.ms) });
      }
    }
    return out;
  },

  forkexec() {
    const n = SIZES.forkexec;
    const r = sideBySide('forkexec', [String(n)]);
    row('forkexec', `forkexec ${n}`, {
      native: cell(r.native), qemu: cell(r.qemu), forkbox: cell(r.forkbox),
      'fb/native': ratio(r.forkbox.ms, r.native.ms), 'fb/qemu': ratio(r.forkbox.ms, r.qemu.ms),
    });
    return Object.fromEntries(Object.entries(r).map(([e, x]) => [e, { n, ms: x.ok ? x.ms : null, error: x.error }]));
  },

  cpu() {
    const out = [];
    for (const prog of ['cpu_i386', 'cpu_x64']) {
      const rounds = String(SIZES.cpuRounds);
      const r = sideBySide(prog, [rounds]);
      const same = r.forkbox.ok && r.forkbox.stdout === r.native.stdout;
      if (r.forkbox.ok && !same) { r.forkbox.ok = false; r.forkbox.error = 'output differs from native'; }
      const insns = r.forkbox.stats?.instructions ?? null;
      const mips = r.forkbox.ok && insns ? insns / r.forkbox.ms / 1000 : null;
      out.push({ prog, rounds: SIZES.cpuRounds, native: r.native.ms, qemu: r.qemu.ok ? r.qemu.ms : null,
        forkbox: r.forkbox.ok ? r.forkbox.ms : null, instructions: insns, mips, error: r.forkbox.error });
      row('cpu', `${prog} ${rounds} rounds`, {
        native: cell(r.native), qemu: cell(r.qemu), forkbox: cell(r.forkbox),
        'fb/native': r.forkbox.ok ? ratio(r.forkbox.ms, r.native.ms) : '-', 'qemu/native': ratio(r.qemu.ms, r.native.ms),
        MIPS: mips ? mips.toFixed(0) : '-', ...(r.forkbox.ok ? {} : { why: r.forkbox.error }),
      });
    }
    return out;
  },

  // µs per fork+exit+wait: the difference of two loop lengths, so start-up cancels.
  latency() {
    const [a, b] = SIZES.latency;
    const out = {};
    for (const e of Object.keys(ENGINES)) {
      const ra = runOnce(e, 'forkwait', [String(a)]);
      const rb = runOnce(e, 'forkwait', [String(b)]);
      out[e] = ra.ok && rb.ok ? ((rb.ms - ra.ms) * 1000) / (b - a) : null;
    }
    row('latency', `fork+exit+wait ${a}..${b}`, {
      native: `${out.native?.toFixed(1)}us`, qemu: `${out.qemu?.toFixed(1)}us`, forkbox: `${out.forkbox?.toFixed(1)}us`,
      'fb/native': ratio(out.forkbox, out.native),
    });
    return out;
  },

  async idle() {
    const out = {};
    for (const e of Object.keys(ENGINES)) {
      const [a, b] = e === 'qemu' ? SIZES.idleQemu : SIZES.idle;
      const ra = await idleRun(e, a);
      const rb = await idleRun(e, b);
      out[e] = ra.ok && rb.ok ? { children: b, perChildKiB: (rb.kib - ra.kib) / (b - a), totalKiB: rb.kib } : null;
      row('idle', `${e} ${a}..${b} children`, out[e]
        ? { 'KiB/child': out[e].perChildKiB.toFixed(1), total: `${(rb.kib / 1024).toFixed(0)}MiB` }
        : { failed: 'yes' });
    }
    return out;
  },
};

function machine() {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const model = info.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown';
  const mhz = info.match(/^cpu MHz\s*:\s*(.*)$/m)?.[1];
  const qemu = spawnSync('qemu-i386', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'none';
  return {
    cpu: model, mhz: mhz ? Number(mhz) : null, cores: cpus().length, node: process.version,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(), qemu,
    memMiB: Math.round(kib('/proc/meminfo', 'MemTotal') / 1024),
  };
}

// ---- main ----------------------------------------------------------------------

if (!existsSync(cli)) {
  console.error('bench: dist/cli.js is missing: run npm run build first');
  process.exit(1);
}
console.log(`machine: ${JSON.stringify(results.machine)}${full ? '' : '  (default sizes; --full for 100,000)'}`);
for (const [name, fn] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  results.suites[name] = await fn();
}
writeFileSync(join(here, 'results.json'), `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
updateReadme();
console.log('\nbench/results.json and bench/README.md updated');

// The part of bench/README.md between the markers is this run's table.
function updateReadme() {
  const path = join(here, 'README.md');
  const start = '<!-- results:start -->', end = '<!-- results:end -->';
  const text = readFileSync(path, 'utf8');
  if (!text.includes(start)) return;
  const m = results.machine;
  const lines = [
    start,
    `Run of ${results.date.slice(0, 10)}${full ? ' (--full)' : ' (default sizes)'} on ${m.cpu}, ${m.cores} cores, `
      + `${m.memMiB} MiB, Linux ${m.kernel}, Node ${m.node}, ${m.qemu}.`,
    '',
    '| suite | what | figures |',
    '| --- | --- | --- |',
    ...rows.map(({ suite, what, ...f }) => `| ${suite} | ${what} | ${Object.entries(f).map(([k, v]) => `${k} ${v}`).join(', ')} |`),
    end,
  ];
  const before = text.slice(0, text.indexOf(start));
  const after = text.slice(text.indexOf(end) + end.length);
  writeFileSync(path, before + lines.join('\n') + after);
}
