// Bundles the TypeScript host (with the Wasm core inlined) into dist/.
import { build } from "esbuild";
import { chmodSync } from "node:fs";

const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  loader: { ".wasm": "binary" },
  sourcemap: true,
  logLevel: "warning",
};

await build({ ...common, entryPoints: ["host/index.ts"], outfile: "dist/index.js" });
await build({ ...common, entryPoints: ["host/cli.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } });
chmodSync("dist/cli.js", 0o755);
