/**
 * Issue 15's "done when": a real git repository with nested directories, a config file, .gitignore files,
 * CloudFormation Metadata and YAML comment suppressions, a JSON task definition suppressed by a config entry
 * keyed by files and containers, and task definitions in node_modules and cdk.out that must never be read.
 * Everything goes through the built CLI, as a CI step would run it.
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const SEED = readFileSync("examples/seed/before.json", "utf8");

const YAML_TASK = `# firelens-preflight-ignore FLP203[log-router]: pinned by digest in the CD pipeline
# firelens-preflight-ignore FLP105: nothing waits for HEALTHY here any more
family: web
containerDefinitions:
  - name: log-router
    image: amazon/aws-for-fluent-bit:stable
    firelensConfiguration:
      type: fluentbit
  - name: web
    image: nginx:1.27
    logConfiguration:
      logDriver: awslogs
`;

const TEMPLATE = `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Metadata:
      firelens-preflight:
        ignore:
          - id: FLP203
            containers: [log-router]
            reason: the digest is pinned by the release pipeline
          - id: FLP208
            reason: the service lives in another stack
    Properties:
      ContainerDefinitions:
        - Name: log-router
          Image: amazon/aws-for-fluent-bit:stable
          FirelensConfiguration:
            Type: fluentbit
`;

const CONFIG = `include: ["**/*.json", "**/*.yaml"]
exclude: ["legacy/**"]
suppress:
  - id: FLP201
    containers: [app]
    files: ["services/api/*.json"]
    reason: the gate lands with the Q3 platform work
  - id: FLP202
    containers: [app]
    files: ["services/**/*.json"]
    reason: names a container the finding is not about
`;

let repo = "";

function write(path: string, text: string): void {
  const file = join(repo, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "flp-repo-"));
  execFileSync("git", ["init", "-q", repo]);
  write(".gitignore", "generated/\n*.local.json\n");
  write("firelens-preflight.config.yaml", CONFIG);
  write("package.json", '{ "name": "infra", "private": true }\n');
  write("services/api/task.json", SEED);
  write("services/api/task.local.json", SEED);
  write("services/web/taskdef.yaml", YAML_TASK);
  write("services/web/.gitignore", "scratch.yaml\n");
  write("services/web/scratch.yaml", YAML_TASK);
  write("stacks/app/template.yaml", TEMPLATE);
  write("legacy/old.json", SEED);
  write("generated/out.json", SEED);
  write("node_modules/some-pkg/task.json", SEED);
  write("cdk.out/Stack.template.json", SEED);
  write("notes/hello.json", '{ "hello": "world" }\n');
  // git's per-clone ignore list counts like a .gitignore at the root.
  write(".git/info/exclude", "# local only\nprivate/\n");
  write("private/task.json", SEED);
  // A link back up the tree: a walk that follows it naively never ends.
  symlinkSync("..", join(repo, "services/loop"));
  copyFileSync("examples/seed/after.json", join(repo, "services/api/gated.json"));
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

interface Report {
  files: {
    file: string;
    findings: { ruleId: string; container?: string; severity: string; suppressed?: { reason: string } }[];
  }[];
}

const READ = [
  "services/api/gated.json",
  "services/api/task.json",
  "services/web/taskdef.yaml",
  "stacks/app/template.yaml",
];
const NEVER = [
  "task.local.json",
  "scratch.yaml",
  "legacy/",
  "generated/",
  "node_modules",
  "cdk.out",
  "loop/",
  "private/",
];

function summary(report: Report): Record<string, string[]> {
  return Object.fromEntries(
    report.files.map((f) => [
      f.file,
      f.findings.map(
        (x) =>
          `${x.ruleId}${x.container ? `[${x.container}]` : ""} ${x.suppressed ? `suppressed: ${x.suppressed.reason}` : x.severity}`,
      ),
    ]),
  );
}

describe("a repository with a config file, .gitignore files and every kind of suppression", () => {
  it("reads exactly the included files, and shows, suppresses and reports unused suppressions as expected", () => {
    const run = cli(["check", "-f", "json", "--verbose"], undefined, repo);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.map((f) => f.file).sort()).toEqual(
      [...READ, "firelens-preflight.config.yaml"].sort(),
    );
    expect(summary(report)).toEqual({
      "services/api/gated.json": ["FLP202[log-router] warning", "FLP212[app] warning"],
      "services/api/task.json": [
        "FLP202[log-router] error",
        "FLP201[app] suppressed: the gate lands with the Q3 platform work",
        "FLP212[app] error",
      ],
      "services/web/taskdef.yaml": [
        "FLP302 note",
        "FLP203[log-router] suppressed: pinned by digest in the CD pipeline",
        "FLP107[log-router] error",
      ],
      "stacks/app/template.yaml": [
        "FLP302 note",
        "FLP203[log-router] suppressed: the digest is pinned by the release pipeline",
        "FLP107[log-router] error",
      ],
      "firelens-preflight.config.yaml": ["FLP302 note"],
    });
    const unused = report.files.flatMap((f) => f.findings).filter((f) => f.ruleId === "FLP302");
    expect(unused.map((f) => (f as unknown as { message: string }).message)).toEqual([
      "Suppression of FLP105 hides nothing any more (nothing waits for HEALTHY here any more); delete it.",
      "Suppression of FLP208 hides nothing any more (the service lives in another stack); delete it.",
      "Suppression of FLP202[app] hides nothing any more (names a container the finding is not about); delete it.",
    ]);
    // The walk's skipped files, each with its reason; nothing under the ignored or skipped directories.
    expect(run.stderr).toContain("note: notes/hello.json: skipped (not a task definition)");
    expect(run.stderr).toContain("note: package.json: skipped (not a task definition)");
    for (const never of NEVER) expect(run.stdout + run.stderr).not.toContain(never);
  });

  it("walks a directory argument the same way, and ends text output with one summary line", () => {
    const run = cli(["check", "."], undefined, repo);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("4 errors, 2 warnings, 2 notes in 4 files; 3 suppressed");
    expect(run.stdout).toContain(
      "services/api/task.json:54:7  suppressed  FLP201  Container 'app' logs through the essential FireLens router 'log-router' and nothing verifies that path before it starts: a router crash on the first flush stops the task after it took traffic. (reason: the gate lands with the Q3 platform work)",
    );
    expect(run.stderr).toMatch(
      /^note: skipped \d+ files that are not task definitions \(--verbose lists them\)\n$/,
    );
    for (const never of NEVER) expect(run.stdout + run.stderr).not.toContain(never);
  });

  it("expands a quoted glob itself, with the same skips", () => {
    const run = cli(["lint", "**/task*.json", "-f", "json"], undefined, repo);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.map((f) => f.file)).toEqual(["services/api/task.json"]);
  });

  it("carries the suppressions into SARIF with their justification", () => {
    const run = cli(["lint", "-f", "sarif"], undefined, repo);
    const sarif = JSON.parse(run.stdout) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
          suppressions?: { kind: string; status: string; justification: string }[];
        }[];
      }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    const suppressed = results
      .filter((r) => r.suppressions !== undefined)
      .map(
        (r) =>
          `${r.locations[0]?.physicalLocation.artifactLocation.uri} ${r.ruleId}: ${r.suppressions?.[0]?.justification}`,
      );
    expect(suppressed.sort()).toEqual([
      "services/api/task.json FLP201: the gate lands with the Q3 platform work",
      "services/web/taskdef.yaml FLP203: pinned by digest in the CD pipeline",
      "stacks/app/template.yaml FLP203: the digest is pinned by the release pipeline",
    ]);
    expect(
      results
        .filter((r) => r.ruleId === "FLP302")
        .map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri)
        .sort(),
    ).toEqual(["firelens-preflight.config.yaml", "services/web/taskdef.yaml", "stacks/app/template.yaml"]);
  });

  it("applies a file-keyed config suppression to a file named alone, without judging the others unused", () => {
    const run = cli(["check", "services/api/task.json", "-f", "json"], undefined, repo);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.map((f) => f.file)).toEqual(["services/api/task.json"]);
    expect(summary(report)["services/api/task.json"]).toContain(
      "FLP201[app] suppressed: the gate lands with the Q3 platform work",
    );
    const none = JSON.parse(
      cli(["check", "services/api/task.json", "-f", "json", "--no-config"], undefined, repo).stdout,
    ) as Report;
    expect(summary(none)["services/api/task.json"]).toContain("FLP201[app] error");
  });

  it("keeps a file named explicitly that is no task definition an error", () => {
    const run = cli(["check", "notes/hello.json"], undefined, repo);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("notes/hello.json:1:1  error  expected an ECS task definition");
  });
});
