// Builds the static demo page into dist/web: the page bundle (esbuild,
// browser platform, no Node API reachable), xterm's stylesheet, and the
// example programs as one tar archive.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { makeTar } from "../dist/node.js";

const out = "dist/web";
const EXAMPLES = ["fork_print", "fork_exec_wait", "sleepy", "fork_loop", "hello_c", "hello", "upcase"];

mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: ["web/main.ts"],
  outfile: `${out}/main.js`,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  loader: { ".wasm": "binary", ".so": "binary" },
  sourcemap: true,
  minify: true,
  metafile: true,
  logLevel: "warning",
});
for (const o of Object.values(result.metafile.outputs)) {
  const bad = o.imports.filter((i) => i.path.startsWith("node:") || i.external);
  if (bad.length) throw new Error(`web bundle imports ${bad.map((i) => i.path).join(", ")}`);
}
copyFileSync("web/index.html", `${out}/index.html`);
copyFileSync("web/style.css", `${out}/style.css`);
copyFileSync("node_modules/@xterm/xterm/css/xterm.css", `${out}/xterm.css`);
const files = EXAMPLES.map((name) => ({ path: `bin/${name}`, data: readFileSync(`test/fixtures/bin/i386/${name}`), mode: 0o755 }));
writeFileSync(`${out}/examples.tar`, makeTar(files));
