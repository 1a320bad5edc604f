// Bundles the TypeScript host (with the Wasm core inlined) into dist/:
// index.js (web-standard APIs only: browsers, bundlers), node.js, deno.js,
// cli.js, and the declarations in dist/types.
import { build } from "esbuild";
import { chmodSync } from "node:fs";
import { execFileSync } from "node:child_process";

const common = {
  bundle: true,
  format: "esm",
  loader: { ".wasm": "binary", ".so": "binary" },
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
};
const node = { ...common, platform: "node", target: "node20" };
// No Node API may be reachable from these: platform "browser" makes esbuild
// refuse to resolve node: modules, and the metafile check below says which.
const web = { ...common, platform: "browser", target: "es2022" };

function assertNoNode(result, name) {
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    const bad = out.imports.filter((i) => i.path.startsWith("node:") || i.external);
    if (bad.length) throw new Error(`${name}: ${file} imports ${bad.map((i) => i.path).join(", ")}`);
  }
}

assertNoNode(await build({ ...web, entryPoints: ["host/index.ts"], outfile: "dist/index.js" }), "index");
assertNoNode(await build({ ...web, entryPoints: ["host/index-deno.ts"], outfile: "dist/deno.js" }), "deno");
await build({ ...node, entryPoints: ["host/index-node.ts"], outfile: "dist/node.js" });
await build({ ...node, entryPoints: ["host/cli.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } });
chmodSync("dist/cli.js", 0o755);
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.types.json"], { stdio: "inherit" });
