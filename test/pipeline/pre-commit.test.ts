/**
 * The pre-commit hooks (.pre-commit-hooks.yaml) with the real `pre-commit` (Debian's 3.0.4 here; .ci/run installs
 * it): a temporary git repository uses the README's `.pre-commit-config.yaml`, with `repo:` pointing at a
 * committed snapshot of this working tree, and commits through the installed hook. pre-commit builds the hook's
 * environment as it does for users (clone, `npm install`, which runs `prepare`, `npm pack`, install the
 * tarball), once, into a temporary PRE_COMMIT_HOME that every case reuses. `pre-commit try-repo` would build it
 * again for each call (it makes a fresh store in a temporary directory), so the cases commit instead.
 *
 * It skips, saying why, only where pre-commit is not installed; under CI=true it fails instead.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_CI, missingTools, README_SECTION, ROOT, VERSION, yamlBlock } from "./support.js";

const missing = missingTools(["pre-commit", "git", "npm"]);
const skip = missing.length > 0 && !IN_CI;
const why = skip
  ? ` (skipped: ${missing.join(", ")} not installed here; apt-get install pre-commit, or see .ci/run)`
  : "";
if (skip) console.warn(`test/pipeline: pre-commit tests${why}`);

const work = mkdtempSync(join(tmpdir(), "flp-pre-commit-"));
const hookRepo = join(work, "hook-repo");
const project = join(work, "project");
const home = join(work, "pre-commit-home");
const gitconfig = join(work, "gitconfig");
const SEED_BAD = join(ROOT, "examples/seed/before.json");
const SEED_GOOD = join(ROOT, "examples/seed/after.json");
let rev = "";
let installSeconds = 0;

/** Git and pre-commit, isolated from this machine's configuration; npm still uses its cache. */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PRE_COMMIT_HOME: home,
  PRE_COMMIT_COLOR: "never",
  NO_COLOR: "1",
  FORCE_COLOR: undefined,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_AUTHOR_NAME: "test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  npm_config_prefer_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
};

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    timeout: 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}
function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0)
    throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}
const out = (r: SpawnSyncReturns<string>) => `${r.stdout}${r.stderr}`;
const head = () => ok(run("git", ["rev-parse", "HEAD"], project), "git rev-parse").trim();

function put(relative: string, content: string): void {
  mkdirSync(dirname(join(project, relative)), { recursive: true });
  writeFileSync(join(project, relative), content);
}

/** A pre-commit config from the docs, pointed at the snapshot instead of GitHub. */
function localConfig(snippet: string): string {
  const config = snippet
    .replace(/repo: https:\/\/github\.com\/firelens-preflight\/firelens-preflight\n/, `repo: ${hookRepo}\n`)
    .replace(/rev: v\d+\.\d+\.\d+\n/, `rev: ${rev}\n`);
  expect(config).toContain(`repo: ${hookRepo}\n`);
  expect(config).toContain(`rev: ${rev}\n`);
  return config;
}

describe.skipIf(skip)(`pre-commit hooks${why}`, () => {
  beforeAll(() => {
    if (missing.length > 0)
      throw new Error(
        `CI must run the pre-commit hooks, but ${missing.join(", ")} is missing: .ci/run installs them`,
      );
    writeFileSync(gitconfig, "[init]\n\tdefaultBranch = main\n");
    // The hook repository: this working tree as it would be committed (tracked and untracked, not ignored).
    const files = ok(
      spawnSync("git", ["ls-files", "-z", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }),
      "git ls-files",
    )
      .split("\0")
      .filter((f) => f !== "" && existsSync(join(ROOT, f)));
    for (const file of files) {
      mkdirSync(dirname(join(hookRepo, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(hookRepo, file));
    }
    ok(run("git", ["init", "-q"], hookRepo), "git init");
    ok(run("git", ["add", "-A"], hookRepo), "git add");
    ok(run("git", ["commit", "-q", "--no-verify", "-m", "snapshot"], hookRepo), "git commit");
    rev = ok(run("git", ["rev-parse", "HEAD"], hookRepo), "git rev-parse").trim();

    // The project: the README's config, committed before the hook is installed.
    mkdirSync(project);
    ok(run("git", ["init", "-q"], project), "git init");
    put(".pre-commit-config.yaml", localConfig(yamlBlock("README.md", README_SECTION, "repos:")));
    ok(run("git", ["add", "-A"], project), "git add");
    ok(run("git", ["commit", "-q", "-m", "pre-commit config"], project), "git commit");
    ok(run("pre-commit", ["install"], project), "pre-commit install");
    const started = Date.now();
    ok(run("pre-commit", ["install-hooks"], project), "pre-commit install-hooks");
    installSeconds = (Date.now() - started) / 1000;
    console.log(`test/pipeline: pre-commit installed the hook environment in ${installSeconds.toFixed(1)} s`);
  }, 900_000);

  afterAll(() => {
    // pre-commit's store holds the hook's whole npm install: hundreds of megabytes.
    rmSync(work, { recursive: true, force: true });
  });

  it("installs the packed package: dist/ and the firelens-preflight bin, not the sources", () => {
    // pre-commit clones the hook repository once to read its manifest, and again for the hooks'
    // additional_dependencies (the HCL packages); the environment lives in the second.
    const envOf = (d: string) => readdirSync(d).find((e) => e.startsWith("node_env-"));
    const clone = readdirSync(home)
      .map((d) => join(home, d))
      .find((d) => existsSync(join(d, ".pre-commit-hooks.yaml")) && envOf(d) !== undefined);
    expect(clone, `no hook clone with a node environment in ${home}`).toBeDefined();
    const envDir = envOf(clone as string);
    expect(envDir).toBeDefined();
    const installed = join(clone as string, envDir as string, "lib/node_modules/firelens-preflight");
    expect(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version).toBe(VERSION);
    expect(existsSync(join(installed, "dist/cli/main.js"))).toBe(true);
    expect(existsSync(join(installed, "src"))).toBe(false);
    // The Terraform parser's optional packages come in as the hooks' additional_dependencies.
    expect(existsSync(join(clone as string, envDir as string, "lib/node_modules/web-tree-sitter"))).toBe(
      true,
    );
    const bin = join(clone as string, envDir as string, "bin/firelens-preflight");
    const version = spawnSync(bin, ["--version"], { encoding: "utf8" });
    expect(version.stdout.trim()).toBe(VERSION);
  });

  it("refuses a commit of ungated task definitions (JSON, CloudFormation YAML, Terraform) and shows the findings", () => {
    const before = head();
    put("infra/web-task.json", readFileSync(SEED_BAD, "utf8"));
    put("infra/template.yaml", readFileSync(join(ROOT, "test/fixtures/taskdef/template.yaml"), "utf8"));
    put("infra/service.tf", readFileSync(join(ROOT, "test/fixtures/terraform/service.tf"), "utf8"));
    ok(run("git", ["add", "infra"], project), "git add");
    const commit = run("git", ["commit", "-m", "ungated"], project);
    const log = out(commit);
    expect(commit.status, log).not.toBe(0);
    expect(log).toMatch(/firelens-preflight check\.+Failed/);
    expect(log).toContain("infra/web-task.json:54:7  error  FLP201");
    expect(log).toContain("infra/template.yaml:39:11  error  FLP201");
    expect(log).toContain("infra/service.tf:65:7  error  FLP201");
    expect(head()).toBe(before);
    ok(run("git", ["reset", "-q"], project), "git reset");
    ok(run("git", ["clean", "-qfd", "infra"], project), "git clean");
  }, 120_000);

  it("lets a commit of the gated task definition through", () => {
    const before = head();
    put("infra/web-task.json", readFileSync(SEED_GOOD, "utf8"));
    ok(run("git", ["add", "infra"], project), "git add");
    const commit = run("git", ["commit", "-m", "gated"], project);
    expect(commit.status, out(commit)).toBe(0);
    expect(out(commit)).toMatch(/firelens-preflight check\.+Passed/);
    expect(head()).not.toBe(before);
    expect(ok(run("git", ["show", "--name-only", "--format=", "HEAD"], project), "git show").trim()).toBe(
      "infra/web-task.json",
    );
  }, 120_000);

  it("does not hand it package.json, tsconfig.json, workflows, node_modules or cdk.out", () => {
    put("package.json", readFileSync(join(ROOT, "package.json"), "utf8"));
    put("package-lock.json", "{}\n");
    put("tsconfig.build.json", readFileSync(join(ROOT, "tsconfig.build.json"), "utf8"));
    put(".github/workflows/release.yml", readFileSync(join(ROOT, ".github/workflows/release.yml"), "utf8"));
    put("node_modules/x/config.json", "{}\n");
    put("cdk.out/manifest.json", "{}\n");
    ok(run("git", ["add", "-A"], project), "git add");
    const commit = run("git", ["commit", "-m", "not task definitions"], project);
    expect(commit.status, out(commit)).toBe(0);
    expect(out(commit)).toMatch(/firelens-preflight check\.+\(no files to check\)Skipped/);
  }, 120_000);

  // Needs the CLI to skip files that are not task definitions when pre-commit names them (today: exit 2).
  it("lets through JSON and YAML that is not a task definition, next to one that is", () => {
    put("renovate.json", '{ "extends": ["config:recommended"] }\n');
    put("docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n");
    put("infra/web-task.json", `${readFileSync(SEED_GOOD, "utf8")}\n`);
    ok(run("git", ["add", "-A"], project), "git add");
    const commit = run("git", ["commit", "-m", "other configuration"], project);
    expect(commit.status, out(commit)).toBe(0);
    expect(out(commit)).toMatch(/firelens-preflight check\.+Passed/);
  }, 120_000);

  // Needs `fix` to take several files and to fail a dry run that would change one (today: one file, exit 0).
  it("the opt-in fix hook (docs/ci.md): fails with the gate's diff for an ungated file, passes a gated one", () => {
    put(
      ".pre-commit-config.yaml",
      localConfig(yamlBlock("docs/ci.md", "## pre-commit", "firelens-preflight-fix")),
    );
    ok(run("git", ["add", ".pre-commit-config.yaml"], project), "git add");
    put("infra/ungated-task.json", readFileSync(SEED_BAD, "utf8"));
    const args = ["run", "--hook-stage", "manual", "firelens-preflight-fix", "--files"];
    const both = run("pre-commit", [...args, "infra/ungated-task.json", "infra/web-task.json"], project);
    const log = out(both);
    expect(both.status, log).toBe(1);
    expect(log).toMatch(/firelens-preflight fix --check\.+Failed/);
    expect(log).toContain("+++ infra/ungated-task.json");
    expect(log).toContain('"name": "log-router-preflight"');
    expect(log).not.toContain("+++ infra/web-task.json");
    // A dry run: nothing was written.
    expect(readFileSync(join(project, "infra/ungated-task.json"), "utf8")).toBe(
      readFileSync(SEED_BAD, "utf8"),
    );

    const gated = run("pre-commit", [...args, "infra/web-task.json"], project);
    expect(gated.status, out(gated)).toBe(0);
    expect(out(gated)).toMatch(/firelens-preflight fix --check\.+Passed/);
  }, 120_000);
});
