// Bundles the probe into one dependency-free file, dist/probe.mjs: it runs in every task on every deploy,
// so it must start fast and carry nothing it does not use.
import { statSync } from "node:fs";
import { build } from "esbuild";

const outfile = "dist/probe.mjs";
await build({
  entryPoints: ["src/probe/main.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  legalComments: "none",
  banner: { js: "#!/usr/bin/env node" },
});
const size = statSync(outfile).size;
const limit = 100 * 1024;
if (size > limit) {
  console.error(`${outfile} is ${size} bytes; the probe bundle must stay under ${limit} bytes`);
  process.exit(1);
}
