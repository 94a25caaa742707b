/** The config file as the CLI uses it: found or named, merged with flags, and refused with a located error. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const BEFORE = readFileSync("examples/seed/before.json", "utf8");
const AFTER = readFileSync("examples/seed/after.json", "utf8");

/** A project directory (its own repository root, so no config above it applies) with these files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flp-cfg-"));
  mkdirSync(join(dir, ".git"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function ruleIds(stdout: string): string[] {
  const report = JSON.parse(stdout) as { files: { findings: { ruleId: string; severity: string }[] }[] };
  return report.files.flatMap((f) => f.findings.map((x) => `${x.ruleId} ${x.severity}`));
}

describe("config file on the command line", () => {
  it("failOn from the config; --fail-on overrides it", () => {
    const dir = project({ "firelens-preflight.config.json": '{ "failOn": "warning" }', "after.json": AFTER });
    expect(cli(["lint", "after.json"], undefined, dir).code).toBe(1);
    expect(cli(["lint", "after.json", "--fail-on", "error"], undefined, dir).code).toBe(0);
    expect(cli(["lint", "after.json", "--no-config"], undefined, dir).code).toBe(0);
  });

  it("rules.disable and --disable add up; rules.severity overrides a rule's severity", () => {
    const dir = project({
      "firelens-preflight.config.yaml": "rules:\n  disable: [FLP212]\n  severity:\n    FLP202: note\n",
      "before.json": BEFORE,
    });
    const run = cli(["lint", "before.json", "-f", "json", "--disable", "FLP201"], undefined, dir);
    expect(ruleIds(run.stdout)).toEqual(["FLP202 note"]);
    expect(run.code).toBe(0);
  });

  it("--config names a config anywhere; its globs are relative to its own directory", () => {
    const dir = project({
      "ci/lint.yaml":
        "include: ['../services/**/*.json']\nexclude: ['../services/old/**']\nsuppress:\n  - id: FLP201\n    files: ['../services/*/task.json']\n    reason: tracked in the platform backlog\n",
      "services/a/task.json": BEFORE,
      "services/old/task.json": BEFORE,
    });
    const run = cli(["check", "--config", "ci/lint.yaml", "-f", "json"], undefined, dir);
    const report = JSON.parse(run.stdout) as {
      files: { file: string; findings: { ruleId: string; suppressed?: { reason: string } }[] }[];
    };
    expect(report.files.map((f) => f.file)).toEqual(["services/a/task.json"]);
    expect(report.files[0]?.findings.find((f) => f.ruleId === "FLP201")?.suppressed).toEqual({
      reason: "tracked in the platform backlog",
    });
  });

  it("exclude applies to files named on the command line too, with one note", () => {
    const dir = project({
      "firelens-preflight.config.json": '{ "exclude": ["vendor/**"] }',
      "vendor/task.json": BEFORE,
      "after.json": AFTER,
    });
    const run = cli(["lint", "vendor/task.json", "after.json"], undefined, dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("note: skipped 1 file excluded by the config (--verbose lists them)\n");
  });

  it.each([
    [
      "firelens-preflight.config.yaml",
      "failOn: loud\n",
      "firelens-preflight.config.yaml:1:9: failOn: expected",
    ],
    [
      "firelens-preflight.config.yaml",
      "rules:\n  disable: [FLP999]\n",
      "firelens-preflight.config.yaml:2:13: rules.disable[0]: FLP999 names no rule",
    ],
    [
      "firelens-preflight.config.json",
      '{\n  "suppress": [{ "id": "FLP201", "reason": "short" }]\n}\n',
      "firelens-preflight.config.json:2:44: suppress[0].reason: expected a reason of at least 10 characters",
    ],
    ["package.json", '{ "firelens-preflight": { "failOn": 1 } }', "package.json:1:37: failOn: expected"],
  ])("a bad %s exits 2 with file:line:column: key: what was expected", (name, text, message) => {
    const dir = project({ [name]: text, "after.json": AFTER });
    const run = cli(["lint", "after.json"], undefined, dir);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(`error: ${message}`)).toBe(true);
    expect(run.stdout).toBe("");
  });

  it("a config named by --config that does not exist is an error; none found and no inputs is a usage error", () => {
    const dir = project({});
    const missing = cli(["check", "--config", "nope.yaml"], undefined, dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.yaml:1:1: cannot read the config: no such file");
    const none = cli(["check"], undefined, dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("check needs at least one file, directory or glob");
  });

  it("plan takes its files from include too", () => {
    const dir = project({
      "firelens-preflight.config.json": '{ "include": ["*.json"] }',
      "after.json": AFTER,
    });
    const run = cli(["plan", "-f", "json"], undefined, dir);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { file: string }[]).map((p) => p.file)).toEqual(["after.json"]);
  });

  it("gives fix its probe image, gate name and timeout; flags win", () => {
    const dir = project({
      "firelens-preflight.config.yaml":
        "fix:\n  probeImage: registry.example.com/probe:7\n  name: gate\n  timeout: 45s\n",
      "before.json": BEFORE,
    });
    const run = cli(["fix", "before.json", "-f", "json"], undefined, dir);
    expect(run.code).toBe(0);
    const doc = JSON.parse((JSON.parse(run.stdout) as { document: string }).document) as {
      containerDefinitions: {
        name: string;
        image: string;
        environment?: { name: string; value: string }[];
      }[];
    };
    const gate = doc.containerDefinitions.find((c) => c.name === "gate");
    expect(gate?.image).toBe("registry.example.com/probe:7");
    expect(JSON.stringify(gate?.environment)).toContain("45s");
    const flagged = cli(["fix", "before.json", "-f", "json", "--name", "preflight"], undefined, dir);
    expect(flagged.stdout).toContain('\\"name\\": \\"preflight\\"');
    expect(resolve(dir)).toBeTruthy();
  });
});
