/**
 * The GitHub Action's run step (scripts/action/run.mjs, what action.yml runs) on the repository's examples:
 * exit codes per fail-on, the step outputs action.yml's later steps read, and SARIF that validates against the
 * OASIS 2.1.0 schema. Most cases run the local build (FLP_ACTION_CLI=dist/cli/main.js); one installs the packed
 * tarball the way the action installs the npm package, with npm into $RUNNER_TEMP.
 */
import { execFileSync, type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { rehearseCommands } from "../../scripts/action/run.mjs";
import { CLI, ROOT, VERSION } from "./support.js";

interface Sarif {
  runs: {
    tool: { driver: { name: string; version: string } };
    results: {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

const SCRIPT = join(ROOT, "scripts/action/run.mjs");

function validator() {
  const schema = JSON.parse(
    readFileSync(join(ROOT, "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"),
  ) as {
    id: string;
    $schema: string;
  } & Record<string, unknown>;
  // Draft-04 → what Ajv 8 reads (see test/fixtures/sarif/README.md).
  const { id, $schema: _draft, ...rest } = schema;
  return new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile({ $id: id, ...rest });
}
const validate = validator();

interface ActionRun {
  result: SpawnSyncReturns<string>;
  log: string;
  outputs: Record<string, string>;
  sarifPath: string;
  sarif: Sarif | undefined;
}

/** Runs the action's script in the repository root (the workspace), as action.yml's first step does. */
function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): ActionRun {
  const dir = mkdtempSync(join(tmpdir(), "flp-action-"));
  const githubOutput = join(dir, "github-output");
  writeFileSync(githubOutput, "");
  const sarifPath = join(dir, "reports", "firelens-preflight.sarif");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    FORCE_COLOR: undefined,
    GITHUB_OUTPUT: githubOutput,
    FLP_ACTION_SARIF_FILE: sarifPath,
    FLP_ACTION_CLI: CLI,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`FLP_ACTION_${name}`] = value;
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 240_000,
  });
  const outputs = Object.fromEntries(
    readFileSync(githubOutput, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  const sarif = existsSync(sarifPath) ? (JSON.parse(readFileSync(sarifPath, "utf8")) as Sarif) : undefined;
  return { result, log: `${result.stdout}${result.stderr}`, outputs, sarifPath, sarif };
}

function expectValidSarif(run: ActionRun): Sarif {
  expect(run.sarif, `no SARIF at ${run.sarifPath}:\n${run.log}`).toBeDefined();
  const ok = validate(run.sarif);
  expect(validate.errors ?? [], "SARIF schema errors").toEqual([]);
  expect(ok).toBe(true);
  expect(run.outputs).toMatchObject({ "sarif-file": run.sarifPath, "sarif-written": "true" });
  return run.sarif as Sarif;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe("scripts/action/run.mjs with the local build", () => {
  it("an ungated task definition: exit 1, the findings in the log and in schema-valid SARIF", () => {
    const run = runAction({ PATHS: "examples/seed/before.json" });
    expect(run.result.status, run.log).toBe(1);
    const sarif = expectValidSarif(run);
    const results = sarif.runs[0]?.results ?? [];
    const flp201 = results.find((r) => r.ruleId === "FLP201");
    expect(flp201?.level).toBe("error");
    expect(flp201?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("examples/seed/before.json");
    expect(flp201?.locations[0]?.physicalLocation.region.startLine).toBe(54);
    // The text run for the log: the same finding, readable.
    expect(run.log).toContain("examples/seed/before.json:54:7  error  FLP201");
  });

  it("the gated task definition: exit 0 with fail-on error, exit 1 with fail-on warning (its two warnings)", () => {
    const clean = runAction({ PATHS: "examples/seed/after.json", FAIL_ON: "error" });
    expect(clean.result.status, clean.log).toBe(0);
    const sarif = expectValidSarif(clean);
    expect(sarif.runs[0]?.results.map((r) => `${r.ruleId}:${r.level}`).sort()).toEqual([
      "FLP202:warning",
      "FLP212:warning",
    ]);
    expect(clean.log).toContain("0 errors, 2 warnings, 0 notes in 1 file");

    const strict = runAction({ PATHS: "examples/seed/after.json", FAIL_ON: "warning" });
    expect(strict.result.status, strict.log).toBe(1);
    expectValidSarif(strict);
  });

  it("several paths on lines and a directory: one report over all of them", () => {
    const run = runAction({
      PATHS: "examples/seed\n  test/fixtures/terraform/service.tf \n",
      FAIL_ON: "none",
    });
    expect(run.result.status, run.log).toBe(0);
    const sarif = expectValidSarif(run);
    const files = new Set(
      sarif.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri) ?? [],
    );
    expect([...files].sort()).toEqual([
      "examples/seed/after.json",
      "examples/seed/before.json",
      "test/fixtures/terraform/service.tf",
    ]);
  });

  it("an input that cannot be read: exit 2, still a valid report", () => {
    const run = runAction({ PATHS: "examples/seed/no-such-file.json" });
    expect(run.result.status, run.log).toBe(2);
    expect(run.log).toContain("no-such-file.json");
    expectValidSarif(run);
  });

  it("names an upload category per job and paths, so two runs in one workflow do not overwrite each other", () => {
    const seed = runAction({ PATHS: "examples/seed/after.json", FAIL_ON: "none" }, { GITHUB_JOB: "lint" });
    expect(seed.result.status, seed.log).toBe(0);
    expect(seed.outputs.category).toBe("firelens-preflight/lint/examples/seed/after.json");
    // Another path in the same job, the same path in another job: other categories.
    const tf = runAction(
      { PATHS: "./test/fixtures/terraform/../terraform/service.tf", FAIL_ON: "none" },
      { GITHUB_JOB: "lint" },
    );
    expect(tf.outputs.category).toBe("firelens-preflight/lint/test/fixtures/terraform/service.tf");
    // ...and the report names the file as the repository does, not as the input spelled it.
    const tfUris = expectValidSarif(tf).runs[0]?.results.map(
      (r) => r.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    expect(tfUris?.length).toBeGreaterThan(0);
    expect(new Set(tfUris)).toEqual(new Set(["test/fixtures/terraform/service.tf"]));
    const other = runAction({ PATHS: "examples/seed/after.json", FAIL_ON: "none" }, { GITHUB_JOB: "deploy" });
    expect(other.outputs.category).toBe("firelens-preflight/deploy/examples/seed/after.json");
    // Many paths: still short, still distinct.
    const many = Array.from({ length: 12 }, (_, i) => `services/service-${i}/task-definition.json`);
    const long = runAction(
      { PATHS: `${many.join("\n")} examples/seed`, FAIL_ON: "none" },
      { GITHUB_JOB: "lint" },
    );
    const longer = runAction(
      { PATHS: `${many.join("\n")} examples`, FAIL_ON: "none" },
      { GITHUB_JOB: "lint" },
    );
    expect(long.outputs.category?.length).toBeLessThanOrEqual(120);
    expect(long.outputs.category).not.toBe(longer.outputs.category);
    // The input wins.
    const given = runAction(
      { PATHS: "examples/seed/after.json", FAIL_ON: "none", CATEGORY: "infra-tasks" },
      { GITHUB_JOB: "lint" },
    );
    expect(given.outputs.category).toBe("infra-tasks");
    expect(given.log).toContain("code scanning category infra-tasks");
  });

  it("a fail-on the CLI does not know: exit 2 before anything runs, no report", () => {
    const run = runAction({ PATHS: "examples/seed/after.json", FAIL_ON: "critical" });
    expect(run.result.status, run.log).toBe(2);
    expect(run.log).toContain("fail-on must be one of error, warning, note, none, not 'critical'");
    expect(run.sarif).toBeUndefined();
    expect(run.outputs["sarif-written"]).toBeUndefined();
  });
});

describe("scripts/action/run.mjs: the rehearse command lines (issue 24 item 6)", () => {
  const IMAGE = "ghcr.io/acme/firelens-preflight-probe:1.2.3";

  it("rehearse false (the default): no rehearsal, whatever else is given", () => {
    expect(rehearseCommands({})).toEqual({ commands: [] });
    expect(rehearseCommands({ rehearse: "false", "probe-image": IMAGE, paths: "." })).toEqual({
      commands: [],
    });
    expect(rehearseCommands({ rehearse: "", paths: "." })).toEqual({ commands: [] });
  });

  it("rehearse true: each task definition file checked, with Docker and the probe image", () => {
    const result = rehearseCommands({
      rehearse: "true",
      "probe-image": IMAGE,
      paths: "examples/seed/before.json\n  examples/seed/after.json ",
    });
    expect(result).toEqual({
      commands: [
        ["rehearse", "--engine", "docker", "--probe-image", IMAGE, "--", "examples/seed/before.json"],
        ["rehearse", "--engine", "docker", "--probe-image", IMAGE, "--", "examples/seed/after.json"],
      ],
    });
  });

  it("rehearse-task-definition: that one file, even when the paths are a directory", () => {
    expect(
      rehearseCommands({
        rehearse: "true",
        "probe-image": IMAGE,
        paths: "examples/seed",
        "rehearse-task-definition": "examples/seed/before.json",
      }),
    ).toEqual({
      commands: [
        ["rehearse", "--engine", "docker", "--probe-image", IMAGE, "--", "examples/seed/before.json"],
      ],
    });
  });

  it("refuses without a probe image, a path that is not a file, or a rehearse that is not true/false", () => {
    expect(rehearseCommands({ rehearse: "true", paths: "examples/seed/before.json" }).error).toContain(
      "rehearse: true needs the probe-image input",
    );
    expect(
      rehearseCommands({ rehearse: "true", "probe-image": IMAGE, paths: "examples/seed" }).error,
    ).toContain("'examples/seed' is not a file: name the file to rehearse in rehearse-task-definition");
    expect(rehearseCommands({ rehearse: "yes", "probe-image": IMAGE }).error).toContain(
      "rehearse must be true or false, not 'yes'",
    );
  });

  it("the action: rehearse without a probe image is exit 2 before anything runs, no report", () => {
    const run = runAction({ PATHS: "examples/seed/after.json", REHEARSE: "true" });
    expect(run.result.status, run.log).toBe(2);
    expect(run.log).toContain("rehearse: true needs the probe-image input");
    expect(run.sarif).toBeUndefined();
  });
});

describe("scripts/action/run.mjs installing the package with npm", () => {
  it("installs the packed tarball into RUNNER_TEMP and runs its CLI (the version and exit code it reports)", () => {
    const packDir = mkdtempSync(join(tmpdir(), "flp-action-pack-"));
    // dist/ is built (beforeAll); --ignore-scripts packs it as it is instead of building it again.
    execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", packDir], {
      cwd: ROOT,
      stdio: "pipe",
    });
    const tarball = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
    expect(tarball).toBe(`firelens-preflight-${VERSION}.tgz`);
    const runnerTemp = mkdtempSync(join(tmpdir(), "flp-runner-temp-"));
    const run = runAction(
      { PATHS: "examples/seed/before.json", PACKAGE: join(packDir, tarball as string) },
      { FLP_ACTION_CLI: "", RUNNER_TEMP: runnerTemp, npm_config_prefer_offline: "true" },
    );
    expect(run.result.status, run.log).toBe(1);
    expect(run.log).toContain(`firelens-preflight ${VERSION}`);
    expect(
      existsSync(join(runnerTemp, `firelens-preflight-${VERSION}/node_modules/firelens-preflight/dist`)),
    ).toBe(true);
    const sarif = expectValidSarif(run);
    expect(sarif.runs[0]?.tool.driver).toMatchObject({ name: "firelens-preflight", version: VERSION });
    expect(sarif.runs[0]?.results.some((r) => r.ruleId === "FLP201")).toBe(true);
  }, 300_000);
});
