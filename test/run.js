// Runs every test/**/*.test.js suite with uvu and ends with the line CI reads:
// "N passed, M failed". Usage: node test/run.js [dir-or-pattern]
import { parse } from "uvu/parse";
import { run } from "uvu/run";
import { existsSync } from "node:fs";

if (!existsSync(new URL("../dist/index.js", import.meta.url)) || !existsSync(new URL("../build/core.wasm", import.meta.url))) {
  console.error("test: dist/ or build/ is missing; run `npm install` (or `npm run build`) first");
  process.exit(1);
}

const filter = process.argv[2];
const { suites } = await parse("test", /\.test\.js$/, { ignore: [/^fixtures[\\/]/, /reference/] });
const chosen = filter ? suites.filter((s) => s.name.includes(filter)) : suites;

// uvu prints its own totals; keep a copy of the output to read them back.
let out = "";
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  out += String(chunk);
  return write(chunk, ...rest);
};
await run(chosen, { bail: false });
process.stdout.write = write;

const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
const num = (label) => Number(plain.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? 0);
const total = num("Total"), passed = num("Passed"), skipped = num("Skipped");
const failed = total - passed - skipped;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (total === 0 || failed > 0) process.exitCode = 1;
