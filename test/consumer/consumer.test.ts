/**
 * The package as users get it: the real `npm pack` tarball, installed with npm into fresh projects this test
 * writes, then used from CommonJS and ESM JavaScript, TypeScript (node16, nodenext, bundler), a CDK app shaped
 * like `cdk init app --language typescript` (synthesized with the real cdk CLI, offline), and a CLI-only install.
 *
 * The five library projects are workspaces of one npm project, so aws-cdk-lib (160 MB unpacked) is installed
 * once, not five times; each still has its own package.json ("type"), tsconfig and sources. The CLI-only
 * install is a project of its own, so its size is exactly what `npm install firelens-preflight` gives.
 * Installs use the versions this repository locks, from the npm cache when it has them (`--prefer-offline`).
 *
 * Run after a build: `npm run build && npm run test:consumer` (CI runs it after `npm test`).
 */
import { execFileSync, type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CDK_BIN,
  CDK_JSON,
  CDK_STACK,
  CDK_TSCONFIG,
  CDK_WITHOUT_NAG,
  CJS_JS,
  ESM_JS,
  STRICT_APP,
  SUBPATHS,
  strictTsconfig,
  TS_APP,
  tsconfig,
} from "./fixtures.js";

const REPO = resolve(".");
const SEED = readFileSync(join(REPO, "examples/seed/before.json"), "utf8");
const work = mkdtempSync(join(tmpdir(), "flp-consumer-"));
const ws = join(work, "ws");
const cliOnly = join(work, "cli-only");
let tarball = "";
let unpacked = "";
const timings: Record<string, number> = {};

/** The version this repository has installed (and locked) for a package: what the npm cache holds. */
function locked(name: string): string {
  return (
    JSON.parse(readFileSync(join(REPO, "node_modules", name, "package.json"), "utf8")) as { version: string }
  ).version;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...env },
    timeout: 600_000,
  });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) {
    throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function npmInstall(cwd: string, what: string): void {
  const started = Date.now();
  ok(run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], cwd), what);
  timings[what] = Date.now() - started;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function manifest(name: string, extra: Record<string, unknown>): string {
  return `${JSON.stringify({ name, version: "0.0.0", private: true, ...extra }, null, 2)}\n`;
}

/** Sum of file sizes under a directory (what `du --apparent-size` counts). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += bytesUnder(path);
    else if (e.isFile()) total += statSync(path).size;
  }
  return total;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

beforeAll(() => {
  if (!existsSync(join(REPO, "dist/cli/main.js")) || !existsSync(join(REPO, "dist/cjs/index.js"))) {
    throw new Error("dist/ is not built: run `npm run build` first");
  }
  // The tarball npm would publish; scripts are skipped because dist/ is built already.
  const packed = ok(
    run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO),
    "npm pack",
  );
  tarball = join(work, (JSON.parse(packed) as { filename: string }[])[0]?.filename ?? "");
  unpacked = join(work, "unpacked");
  mkdirSync(unpacked);
  execFileSync("tar", ["xzf", tarball, "-C", unpacked]);

  const dependency = { "firelens-preflight": `file:${tarball}` };
  const types = { "@types/node": locked("@types/node"), typescript: locked("typescript") };
  write(ws, {
    "package.json": manifest("consumers", {
      workspaces: ["cjs-js", "esm-js", "ts-cjs", "ts-esm", "cdk-app"],
    }),
    "cjs-js/package.json": manifest("cjs-js", { type: "commonjs", dependencies: dependency }),
    "cjs-js/index.js": CJS_JS,
    "cjs-js/task-definition.json": SEED,
    "esm-js/package.json": manifest("esm-js", { type: "module", dependencies: dependency }),
    "esm-js/index.js": ESM_JS,
    "esm-js/task-definition.json": SEED,
    // Library users who want the official ECS types install the SDK client (an optional peer) themselves.
    "ts-cjs/package.json": manifest("ts-cjs", {
      dependencies: dependency,
      devDependencies: { ...types, "@aws-sdk/client-ecs": locked("@aws-sdk/client-ecs") },
    }),
    "ts-cjs/tsconfig.json": tsconfig("node16"),
    "ts-cjs/tsconfig.strict.json": strictTsconfig("node16"),
    "ts-cjs/strict.ts": STRICT_APP,
    "ts-cjs/index.ts": TS_APP,
    "ts-cjs/task-definition.json": SEED,
    "ts-esm/package.json": manifest("ts-esm", {
      type: "module",
      dependencies: dependency,
      devDependencies: { ...types, "@aws-sdk/client-ecs": locked("@aws-sdk/client-ecs") },
    }),
    "ts-esm/tsconfig.json": tsconfig("nodenext"),
    "ts-esm/strict.ts": STRICT_APP,
    "ts-esm/tsconfig.bundler.json": `${JSON.stringify(
      {
        extends: "./tsconfig.json",
        compilerOptions: { module: "esnext", moduleResolution: "bundler", noEmit: true },
        include: ["strict.ts"],
      },
      null,
      2,
    )}\n`,
    "ts-esm/index.ts": TS_APP,
    "ts-esm/task-definition.json": SEED,
    // `cdk init app --language typescript`: no "type" (CommonJS), aws-cdk-lib and constructs as dependencies.
    "cdk-app/package.json": manifest("cdk-app", {
      bin: { "cdk-app": "bin/consumer.js" },
      scripts: { build: "tsc", cdk: "cdk" },
      dependencies: {
        ...dependency,
        "aws-cdk-lib": locked("aws-cdk-lib"),
        constructs: locked("constructs"),
        "cdk-nag": locked("cdk-nag"),
      },
      devDependencies: { ...types, "aws-cdk": locked("aws-cdk"), tsx: locked("tsx") },
    }),
    "cdk-app/tsconfig.json": CDK_TSCONFIG,
    "cdk-app/cdk.json": CDK_JSON,
    "cdk-app/bin/consumer.ts": CDK_BIN,
    "cdk-app/lib/consumer-stack.ts": CDK_STACK,
    "cdk-app/no-nag.js": CDK_WITHOUT_NAG,
  });
  npmInstall(ws, "library projects (npm install, workspaces)");

  write(cliOnly, {
    "package.json": manifest("cli-only", { dependencies: dependency }),
    "task-definition.json": SEED,
  });
  npmInstall(cliOnly, "CLI-only project (npm install)");
}, 900_000);

// The projects hold ~400 MB of node_modules; keep them only when asked, to look into a failure.
afterAll(() => {
  if (process.env.KEEP_CONSUMER_PROJECTS === undefined) rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("ships no source maps, no unreferenced assets, and both module flavours", () => {
    const files = filesUnder(join(unpacked, "package")).map((f) => relative(join(unpacked, "package"), f));
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
    expect(files).not.toContain("docs/simulate-seed.png");
    for (const needed of [
      "Dockerfile",
      ".dockerignore",
      "dist/probe.mjs",
      "dist/cjs/package.json",
      "README.md",
      // `npm run image` in node_modules/firelens-preflight (docs/probe-image.md, issue 27 item 7).
      "scripts/probe-image.mjs",
    ]) {
      expect(files).toContain(needed);
    }
    for (const sub of Object.keys(SUBPATHS)) {
      const dir = sub.replace(/^firelens-preflight\/?/, "");
      for (const flavour of ["dist", "dist/cjs"]) {
        expect(files).toContain(join(flavour, dir, "index.js"));
        expect(files).toContain(join(flavour, dir, "index.d.ts"));
      }
    }
  });

  it("cites nothing that does not ship (the design notes outside the repository)", () => {
    const root = join(unpacked, "package");
    const citing = filesUnder(root)
      .filter((f) => /\.(js|ts|md|json)$/.test(f))
      .filter((f) =>
        /DESIGN\.md|\breference\/[\w-]+\.md|shared\/(reference|fixtures)|\bstyle\.md/.test(
          readFileSync(f, "utf8"),
        ),
      )
      .map((f) => relative(root, f));
    expect(citing).toEqual([]);
  });
});

describe("library projects", { timeout: 300_000 }, () => {
  const expectedFound = Object.fromEntries(Object.keys(SUBPATHS).map((k) => [k, "function"]));

  it.each(["cjs-js", "esm-js"])("%s: every subpath loads and works", (project) => {
    const out = JSON.parse(ok(run("node", ["index.js"], join(ws, project)), project)) as {
      found: Record<string, string>;
      ids: string[];
      gated: boolean;
    };
    expect(out.found).toEqual(expectedFound);
    expect(out.ids).toContain("FLP201");
    expect(out.gated).toBe(true);
  });

  it.each([
    ["ts-cjs", "node16, CommonJS"],
    ["ts-esm", "nodenext, ESM"],
  ])("%s (%s): type-checks strictly, with the official ECS types, and runs", (project) => {
    const dir = join(ws, project);
    ok(run("npx", ["tsc", "-p", "tsconfig.json"], dir), `${project}: tsc`);
    const compiled = readFileSync(join(dir, "dist/index.js"), "utf8");
    // Compiled as the project's module kind asks: require() for CommonJS, import for ESM.
    expect(compiled.includes('require("firelens-preflight/cdk")')).toBe(project === "ts-cjs");
    const out = JSON.parse(ok(run("node", ["dist/index.js"], dir), project)) as {
      found: Record<string, string>;
      ids: string[];
      notAny: boolean;
      first: string;
      order: string[][];
    };
    expect(out.found).toEqual(expectedFound);
    expect(out.ids).toContain("FLP201");
    expect(out.first).toBe("log-router");
    expect(out.order).toEqual([["log-router", "dd-agent"], ["app"]]);
  });

  it("ts-esm: type-checks with moduleResolution bundler", () => {
    ok(run("npx", ["tsc", "-p", "tsconfig.bundler.json"], join(ws, "ts-esm")), "tsc (bundler)");
  });

  // The CommonJS copies of the declarations are the new part; the ESM ones are what the repository's own
  // typecheck compiles from. A tsc run that loads aws-cdk-lib's declarations is this test's slowest step.
  it("ts-cjs: our declarations type-check with skipLibCheck off", () => {
    ok(run("npx", ["tsc", "-p", "tsconfig.strict.json"], join(ws, "ts-cjs")), "ts-cjs: tsc (strict)");
  });

  it.each(["cjs-js", "esm-js", "ts-cjs", "ts-esm"])("%s: the CLI's check runs", (project) => {
    const result = run("npx", ["firelens-preflight", "check", "task-definition.json"], join(ws, project));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("FLP201");
  });
});

describe("CDK app (cdk init app --language typescript, CommonJS)", { timeout: 600_000 }, () => {
  const app = join(ws, "cdk-app");

  it("synthesizes offline with FireLensDatadogFargateService, LogRouterPreflight and FireLensChecks", () => {
    const started = Date.now();
    ok(
      run("npx", ["cdk", "synth", "--quiet", "--no-notices", "--no-version-reporting"], app, {
        CDK_DISABLE_CLI_TELEMETRY: "true",
        CDK_DISABLE_VERSION_CHECK: "true",
        CI: "true",
      }),
      "cdk synth",
    );
    timings["cdk synth"] = Date.now() - started;
    const template = JSON.parse(readFileSync(join(app, "cdk.out/ConsumerStack.template.json"), "utf8")) as {
      Resources: Record<string, { Type: string; Properties: { ContainerDefinitions?: { Name: string }[] } }>;
    };
    const tasks = Object.values(template.Resources).filter((r) => r.Type === "AWS::ECS::TaskDefinition");
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task.Properties.ContainerDefinitions?.map((c) => c.Name)).toContain("log-router-preflight");
    }
  });

  it("builds the probe image from the installed package, for each task's architecture", () => {
    const assets = JSON.parse(readFileSync(join(app, "cdk.out/ConsumerStack.assets.json"), "utf8")) as {
      dockerImages: Record<string, { source: { directory: string; platform?: string } }>;
    };
    const platforms = Object.values(assets.dockerImages)
      .map((i) => i.source.platform)
      .sort();
    expect(platforms).toEqual(["linux/amd64", "linux/arm64"]);
    // Staged from node_modules/firelens-preflight: the prebuilt bundle and the Dockerfile, nothing else.
    const staged = Object.values(assets.dockerImages)[0]?.source.directory as string;
    expect(readdirSync(join(app, "cdk.out", staged)).sort()).toEqual([".dockerignore", "Dockerfile", "dist"]);
  });

  it("passes the CLI's own check", () => {
    const result = run("npx", ["firelens-preflight", "check", "cdk.out", "--fail-on", "error"], app);
    expect(result.stdout).toContain("ConsumerStack.template.json");
    expect(result.status).toBe(0);
  });

  it("imports and synthesizes without cdk-nag; the pack then says what to install", () => {
    const nag = join(ws, "node_modules/cdk-nag");
    const hidden = join(ws, "node_modules/.cdk-nag-hidden");
    renameSync(nag, hidden);
    try {
      const out = JSON.parse(ok(run("node", ["no-nag.js"], app), "without cdk-nag")) as {
        names: string[];
        packError: string;
      };
      expect(out.names).toContain("log-router-preflight");
      expect(out.packError).toContain("FireLensChecks needs cdk-nag, an optional peer dependency");
    } finally {
      renameSync(hidden, nag);
    }
  });
});

describe("CLI-only install", { timeout: 120_000 }, () => {
  // Issue 14's goal was 6 MiB. Since then the config file, globs and .gitignore (picomatch, ignore) came in,
  // and the CLI ships as a bundle of its own beside the library (0.65 MB, for a start-up twice as fast); the
  // HCL parser (7 MB) became optional. About 7.3 MiB measured; then issues 23 and 24 added the branch reading,
  // the agent's outcomes, the FireLens config generator and rehearse, each shipped three times (ESM, CommonJS and
  // the CLI bundle): 7.8 MiB measured (8,176,381 bytes). This budget keeps it from growing unnoticed, and
  // bench/RESULTS.md reports the figure against the original goal.
  it("stays within 8 MiB of node_modules and brings no AWS SDK or HCL parser", () => {
    const bytes = bytesUnder(join(cliOnly, "node_modules"));
    timings["CLI-only node_modules bytes"] = bytes;
    expect(existsSync(join(cliOnly, "node_modules/@aws-sdk"))).toBe(false);
    expect(existsSync(join(cliOnly, "node_modules/aws-cdk-lib"))).toBe(false);
    expect(existsSync(join(cliOnly, "node_modules/web-tree-sitter"))).toBe(false);
    expect(bytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it("runs `npm run image` in the installed package, as docs/probe-image.md says (issue 27 item 7)", () => {
    const installed = join(cliOnly, "node_modules/firelens-preflight");
    const help = run("npm", ["run", "--silent", "image", "--", "--help"], installed);
    expect(help.status, `${help.stdout}${help.stderr}`).toBe(0);
    expect(help.stdout).toContain("--base <ref>");
  });

  it("reads Terraform only with the optional HCL packages, and says how to add them", () => {
    copyFileSync(join(REPO, "test/fixtures/terraform/service.tf"), join(cliOnly, "service.tf"));
    const result = run("npx", ["firelens-preflight", "check", "service.tf"], cliOnly);
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).toContain(
      "reading Terraform .tf files needs two optional packages: npm install --save-dev web-tree-sitter@",
    );
  });

  it("in a directory, skips .tf files without the HCL packages and says once how to read them", () => {
    mkdirSync(join(cliOnly, "mixed"), { recursive: true });
    copyFileSync(join(REPO, "test/fixtures/terraform/service.tf"), join(cliOnly, "mixed/service.tf"));
    copyFileSync(join(cliOnly, "task-definition.json"), join(cliOnly, "mixed/task-definition.json"));
    const result = run("npx", ["firelens-preflight", "check", "mixed"], cliOnly);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("FLP201");
    expect(result.stderr).toContain("note: skipped 1 file this install cannot read (--verbose lists them)");
    expect(result.stderr).toContain(
      "note: reading Terraform .tf files needs two optional packages: npm install --save-dev web-tree-sitter@",
    );
  });

  it("runs check, and the examples its help shows", () => {
    const result = run("npx", ["firelens-preflight", "check", "task-definition.json"], cliOnly);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("FLP201");
    const help = ok(run("npx", ["firelens-preflight", "check", "--help"], cliOnly), "check --help");
    const examples = help
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("firelens-preflight check ") && !l.includes("|"));
    expect(examples.length).toBeGreaterThan(0);
    copyFileSync(join(cliOnly, "task-definition.json"), join(cliOnly, "task-definition.copy.json"));
    for (const example of examples) {
      // What follows three spaces is the example's explanation; quotes are the shell's (no shell runs here).
      const [command = ""] = example.split(/\s{3,}/);
      const [, ...args] = command.split(/\s+/).map((a) => a.replace(/^'(.*)'$/, "$1"));
      // A directory example (cdk.out) gets one: the task definition, as `cdk synth` would leave a template.
      if (args.includes("cdk.out")) {
        mkdirSync(join(cliOnly, "cdk.out"), { recursive: true });
        copyFileSync(join(cliOnly, "task-definition.json"), join(cliOnly, "cdk.out/App.template.json"));
      }
      // A glob example gets a file for it to match.
      if (args.some((a) => a.startsWith("infra/"))) {
        mkdirSync(join(cliOnly, "infra"), { recursive: true });
        copyFileSync(join(cliOnly, "task-definition.json"), join(cliOnly, "infra/task.json"));
      }
      const r = run("npx", ["firelens-preflight", ...args], cliOnly);
      expect([0, 1], `${example}: ${r.stderr}`).toContain(r.status);
    }
  });

  it("reports how long the installs took", () => {
    console.log(`consumer test timings (ms, bytes): ${JSON.stringify(timings)}`);
    expect(timings["library projects (npm install, workspaces)"]).toBeGreaterThan(0);
  });
});
