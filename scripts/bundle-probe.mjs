// Bundles the probe into one dependency-free file, dist/probe.mjs: it runs in every task on every deploy,
// so it must start fast and carry nothing it does not use. Usage: node scripts/bundle-probe.mjs [outfile]
import { readFileSync, statSync } from "node:fs";
import { build } from "esbuild";

const outfile = process.argv[2] ?? "dist/probe.mjs";
// The probe's own version (`--version`, its JSON line): the image has no package.json to read it from.
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
await build({
  entryPoints: ["src/probe/main.ts"],
  outfile,
  bundle: true,
  platform: "node",
  // ESM builds first (esbuild's node default is main, i.e. CommonJS): @msgpack/msgpack's ESM build lets the
  // bundle keep its encoder and drop the decoder the probe does not use.
  mainFields: ["module", "main"],
  target: "node20",
  format: "esm",
  minify: true,
  legalComments: "none",
  banner: { js: "#!/usr/bin/env node" },
  define: { __FIRELENS_PREFLIGHT_PROBE_VERSION__: JSON.stringify(version) },
});
const size = statSync(outfile).size;
const limit = 100 * 1024;
if (size > limit) {
  console.error(`${outfile} is ${size} bytes; the probe bundle must stay under ${limit} bytes`);
  process.exit(1);
}
// Only Node built-ins may stay imports: the probe image has no node_modules.
const text = readFileSync(outfile, "utf8");
const foreign = [
  ...text.matchAll(/\bfrom\s*"([^"]+)"|\bimport\s*\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)/g),
]
  .map((m) => m[1] ?? m[2] ?? m[3] ?? "")
  .filter((spec) => !spec.startsWith("node:"));
if (foreign.length > 0) {
  console.error(
    `${outfile} imports modules that are not Node built-ins: ${[...new Set(foreign)].join(", ")}`,
  );
  process.exit(1);
}
