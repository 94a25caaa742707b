// `npm run build`: the package as it ships.
//
//   dist/**/*.js      ESM, one file per source file (what `import` loads)
//   dist/cli/*.js     the CLI, bundled: main.js and a chunk per command, loaded when that command runs
//   dist/cjs/**/*.js  CommonJS, the same files (what `require` loads: CDK apps made by `cdk init` are CommonJS)
//   dist/**/*.d.ts    declarations, copied into dist/cjs/ so TypeScript reads them as CommonJS there
//
// tsc writes only the declarations; esbuild writes both JavaScript flavours from the same sources, file by
// file (the sources are `isolatedModules`, so a per-file transform means what tsc would emit). No source maps:
// the sources do not ship, and a map that points at files a user does not have only misleads a debugger.
// Usage: node scripts/build.mjs
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const dist = join(root, "dist");
const cjs = join(dist, "cjs");

/** Sources never loaded through `require`: the CLI (an ESM program with top-level await) and the probe's own entry. */
const ESM_ONLY = [/^cli\//, /^probe\/main\.ts$/];

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

// Stale output (a renamed or deleted source) must not ship.
rmSync(dist, { recursive: true, force: true });

execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});

const all = sources(src);
const isCli = (f) => relative(src, f).replaceAll("\\", "/").startsWith("cli/");
const common = { outbase: src, platform: "node", target: "node20", bundle: false, logLevel: "warning" };
await build({ ...common, entryPoints: all.filter((f) => !isCli(f)), outdir: dist, format: "esm" });

// The CLI as one bundled CommonJS file (dist/cli/run.js) instead of some 120 ES modules: a pre-commit hook
// starts `check` on every commit, and Node resolves, reads and compiles ES modules one by one, more slowly than
// one CommonJS file. The bin (dist/cli/main.js, src/cli/launch.ts) turns on Node's compile cache (Node >= 22.1)
// and requires it; tests and embedders require it for `main`, which runs the CLI in process. Commands
// still load their work only when they run (esbuild turns their dynamic imports into lazy initialisers), and
// dependencies are bundled too, in their ESM builds, except those that locate files beside themselves (the HCL
// parser's WebAssembly), `yaml` (loaded on first use, src/yaml-lib.ts) and those only the CDK and test paths
// use. Whitespace and syntax are minified, names are not, so an internal error's stack still says where.
const cliDir = join(dist, "cli");
const cliBundle = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  mainFields: ["module", "main"],
  // Identifiers are kept as written (no keepNames: its defineProperty per function cost 17 ms at start-up).
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  // Code that locates files beside itself uses import.meta.url; in this CommonJS bundle that is the bundle.
  define: { "import.meta.url": "__flp_import_meta_url" },
  banner: {
    js: `"use strict";\nvar __flp_import_meta_url = require("node:url").pathToFileURL(__filename).href;`,
  },
  logLevel: "warning",
};
await build({
  ...cliBundle,
  // The simulator starts its worker as `./worker.js` beside the bundle.
  entryPoints: { run: join(src, "cli/main.ts"), worker: join(src, "simulate/worker.ts") },
  outdir: cliDir,
  external: [
    "yaml",
    "web-tree-sitter",
    "@tree-sitter-grammars/*",
    "tsx",
    "tsx/*",
    "esbuild",
    "aws-cdk-lib",
    "constructs",
  ],
});
// The bin: only the compile-cache switch and a require of run.js, which must stay a file of its own so the
// cache is on before it is compiled.
await build({
  ...cliBundle,
  entryPoints: { main: join(src, "cli/launch.ts") },
  outdir: cliDir,
  external: ["./run.js"],
});
writeFileSync(join(cliDir, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);

const forCjs = all.filter((f) => !ESM_ONLY.some((re) => re.test(relative(src, f).replaceAll("\\", "/"))));
await build({
  ...common,
  entryPoints: forCjs,
  outdir: cjs,
  format: "cjs",
  // The few modules that locate files beside themselves use import.meta.url; CommonJS has __filename.
  define: { "import.meta.url": "__flp_import_meta_url" },
  // ESM is strict; the directive must come first for the CommonJS copy to be strict too.
  banner: {
    js: '"use strict";\nvar __flp_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
  },
});
writeFileSync(join(cjs, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);

for (const file of forCjs) {
  const rel = relative(src, file).replace(/\.ts$/, ".d.ts");
  mkdirSync(dirname(join(cjs, rel)), { recursive: true });
  copyFileSync(join(dist, rel), join(cjs, rel));
}

// npm sets the bin's mode on install; in the repository `./dist/cli/main.js` should run as well.
chmodSync(join(dist, "cli/main.js"), 0o755);
