import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

describe("check", () => {
  it("finds the seed's hazard and the crash-prone router in the seed's task", () => {
    const run = cli(["check", "examples/seed/before.json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /before\.json:54:7 {2}error {2}FLP201 {2}Container 'app' logs through the essential FireLens router/,
    );
    expect(run.stdout).toContain("FLP202");
    expect(run.stdout).toContain("startup: log-router, dd-agent → app");
    expect(run.stdout).toContain('if log-router crashes: "log-router" is essential');
  });

  it("passes the gated seed and says what a failed gate does", () => {
    const run = cli(["check", "examples/seed/after.json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("startup: log-router, dd-agent → log-router-preflight → app");
    expect(run.stdout).toContain(
      'if log-router-preflight fails: "app" stops with exit 143 (CannotStartContainerError); "app" is essential, so the task stops before it ever serves',
    );
  });

  it("checks every task definition in a directory and below, and skips the other files with one note", () => {
    const run = cli(["check", "examples/seed"]);
    expect(run.stdout).toContain("examples/seed/before.json (ECS RegisterTaskDefinition JSON)");
    expect(run.stderr).toBe("note: skipped 3 files that are not task definitions (--verbose lists them)\n");
    const verbose = cli(["check", "examples/seed", "--verbose"]);
    expect(verbose.stderr).toContain("note: examples/seed/scenario.yaml: skipped (not a task definition)");
    expect(verbose.stderr).toContain(
      "note: examples/seed/incident/describe-tasks.json: skipped (not a task definition)",
    );
  });

  it("reads stdin and reports the detected format", () => {
    const run = cli(["check", "-"], JSON.stringify([{ name: "web", image: "nginx:1.27", essential: true }]));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("<stdin> (");
    expect(run.stdout).toContain("startup: web");
  });
});

describe("lint", () => {
  it("locates malformed JSON and exits 2 without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-"));
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "containerDefinitions": [\n    { "name": "app" \n  ]\n}\n');
    const run = cli(["lint", file]);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:4:3`),
    );
    expect(run.stderr).not.toContain("    at ");
  });

  it("says what was expected of a valid file that is no task definition", () => {
    const run = cli(["lint", "-"], '{"hello": "world"}');
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain("containerDefinitions");
  });

  it("--fail-on decides the exit code; --disable removes a rule's findings", () => {
    expect(cli(["lint", "examples/seed/before.json", "--fail-on", "none"]).code).toBe(0);
    const disabled = cli([
      "lint",
      "examples/seed/before.json",
      "--disable",
      "FLP201,FLP202,FLP212",
      "-f",
      "json",
    ]);
    const ids = (
      JSON.parse(disabled.stdout) as { files: { findings: { ruleId: string }[] }[] }
    ).files.flatMap((f) => f.findings.map((x) => x.ruleId));
    expect(ids).not.toContain("FLP201");
    expect(ids).not.toContain("FLP202");
  });

  it("rejects unknown rule ids and formats as usage errors", () => {
    const unknownRule = cli(["lint", "examples/seed/before.json", "--disable", "FLP999"]);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr).toContain("unknown rule id FLP999");
    const badFormat = cli(["lint", "examples/seed/before.json", "-f", "xml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain(
      "argument 'xml' is invalid. Allowed choices are text, json, sarif, github.",
    );
    expect(badFormat.stderr).toContain("usage: firelens-preflight lint [options] [files...]");
  });

  it("writes SARIF with the seed finding's rule and region", () => {
    const run = cli(["lint", "examples/seed/before.json", "-f", "sarif"]);
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const gate = sarif.runs[0]?.results.find((r) => r.ruleId === "FLP201");
    expect(gate?.locations[0]?.physicalLocation.region.startLine).toBe(54);
  });

  it("--list-rules lists the catalogue", () => {
    const run = cli(["lint", "--list-rules"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^FLP101 {2}error/m);
    expect(run.stdout).toMatch(/^FLP301 /m);
  });
});

describe("plan", () => {
  it("renders Mermaid and DOT, and refuses unknown formats", () => {
    expect(cli(["plan", "examples/seed/before.json", "-f", "mermaid"]).stdout).toContain(
      't1_c_log_router -.->|"START · added by ECS"| t1_c_app',
    );
    expect(cli(["plan", "examples/seed/before.json", "-f", "dot"]).stdout).toMatch(
      /^digraph startup \{[\s\S]*label="backend"/,
    );
    expect(cli(["plan", "examples/seed/before.json", "-f", "png"]).code).toBe(2);
  });
});

describe("help", () => {
  it("teaches the commands and exit codes", () => {
    const run = cli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["check", "lint", "plan", "fix", "probe"]) expect(run.stdout).toContain(command);
    expect(run.stdout).toContain("Exit codes");
  });
});

describe("diagnose", () => {
  it("names the seed's incident: the router crashed after the task could take traffic", () => {
    const run = cli([
      "diagnose",
      "examples/seed/incident/describe-tasks.json",
      "--services",
      "examples/seed/incident/describe-services.json",
      "-t",
      "examples/seed/before.json",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "The log router crashed and stopped the task: 'log-router' exited 139 (SIGSEGV",
    );
    expect(run.stdout).toContain("after it could take traffic");
    expect(run.stdout).toMatch(/^ {4}FLP201 /m);
  });

  it("locates bad input and exits 2", () => {
    const run = cli(["diagnose", "-"], '{"tasks": [}');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/<stdin>:1:\d+/);
  });
});

describe("--suppress", () => {
  const all = [
    "FLP201=accepted until the gate rollout next sprint",
    "FLP202=router upgrade tracked in OPS-1234",
    "FLP212[app]=provider ecs kept until the router upgrade",
  ];

  it("acknowledges findings with a reason: still shown, never failing", () => {
    const run = cli(["lint", "examples/seed/before.json", ...all.flatMap((s) => ["--suppress", s])]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("suppressed  FLP201");
    expect(run.stdout).toContain("(reason: router upgrade tracked in OPS-1234)");
    expect(run.stdout).toContain("3 suppressed");
  });

  it("carries the reason into SARIF as the suppression's justification", () => {
    const run = cli(["lint", "examples/seed/before.json", "-f", "sarif", "--suppress", all[1] as string]);
    const sarif = JSON.parse(run.stdout) as {
      runs: { results: { ruleId: string; suppressions?: { justification: string }[] }[] }[];
    };
    const crash = sarif.runs[0]?.results.find((r) => r.ruleId === "FLP202");
    expect(crash?.suppressions?.[0]?.justification).toBe("router upgrade tracked in OPS-1234");
  });

  it("refuses a suppression without a real reason, or for a rule that does not exist", () => {
    const short = cli(["check", "examples/seed/before.json", "--suppress", "FLP202=ok"]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("a reason of at least 10 characters is required");
    const unknown = cli([
      "lint",
      "examples/seed/before.json",
      "--suppress",
      "FLP999=some long enough reason",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown rule id FLP999");
  });
});

describe("simulate", () => {
  it("compares the seed with and without the gate on the same seeds, and writes a report", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-sim-"));
    const report = join(dir, "report.html");
    const run = cli([
      "simulate",
      "examples/seed/before.json",
      "-s",
      "examples/seed/scenario.yaml",
      "--compare",
      "-n",
      "300",
      "--report",
      report,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Without the gate, [\d.]+ % of deploys failed requests \([\d,]+ in 300 deploys, up to [\d,]+ in one\); with it, none did; [\d,]+ crashing tasks were stopped before registration\.\n\nSimulated 300 deploys per variant of scenario "seed" \(seed 1\)/,
    );
    expect(run.stdout).toMatch(/failed requests: 502 \/ 503 +[\d,]+ \/ [\d,]+ +0 \/ 0\n/);
    expect(readFileSync(report, "utf8")).toMatch(/^<!doctype html>/i);
  });

  it("is deterministic for a seed and prints JSON on request", () => {
    const args = [
      "simulate",
      "examples/seed/before.json",
      "-s",
      "examples/seed/scenario.yaml",
      "-n",
      "50",
      "--json",
    ];
    const a = JSON.parse(cli([...args, "--seed", "7"]).stdout) as {
      variants: { label: string }[];
      elapsedMs: number;
    };
    const b = JSON.parse(cli([...args, "--seed", "7"]).stdout) as {
      variants: { label: string }[];
      elapsedMs: number;
    };
    expect({ ...a, elapsedMs: 0 }).toEqual({ ...b, elapsedMs: 0 });
    expect(a.variants.map((v) => v.label)).toEqual(["given"]);
  });

  it("names the scenario field that is wrong, and refuses bad numbers", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-sim-"));
    const scenario = join(dir, "bad.yaml");
    writeFileSync(scenario, "name: bad\nservice:\n  desiredCount: two\n");
    const bad = cli(["simulate", "examples/seed/before.json", "-s", scenario]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("service.desiredCount");
    const runs = cli(["simulate", "examples/seed/before.json", "-n", "0"]);
    expect(runs.code).toBe(2);
    expect(runs.stderr).toContain("--runs must be a whole number from 1 to 10000000");
  });
});

describe("fix", () => {
  const IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/firelens-preflight:0.1.0";

  it("writes the gated seed to stdout, identical to examples/seed/after.json, and says what changed", () => {
    const run = cli(["fix", "examples/seed/before.json", "--probe-image", IMAGE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync("examples/seed/after.json", "utf8"));
    expect(run.stderr).toContain("+ added non-essential 'log-router-preflight'");
  });

  it("--write rewrites in place; a second run leaves the file alone and says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-fix-"));
    const file = join(dir, "task.json");
    writeFileSync(file, readFileSync("examples/seed/before.json"));
    expect(cli(["fix", file, "--probe-image", IMAGE, "--write"]).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(readFileSync("examples/seed/after.json", "utf8"));
    const again = cli(["fix", file, "--write"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("unchanged: already gated");
    expect(readFileSync(file, "utf8")).toBe(readFileSync("examples/seed/after.json", "utf8"));
  });

  it("--dry-run prints a unified diff and writes nothing", () => {
    const run = cli(["fix", "examples/seed/before.json", "--probe-image", IMAGE, "--dry-run"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--- examples/seed/before.json");
    expect(run.stdout).toContain('+      "name": "log-router-preflight",');
  });

  it("refuses without a probe image, and with conflicting outputs, writing nothing", () => {
    const missing = cli(["fix", "examples/seed/before.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("pass --probe-image (the image built from this package's Dockerfile)");
    expect(missing.stdout).toBe("");
    const both = cli(["fix", "examples/seed/before.json", "--probe-image", IMAGE, "--write", "--dry-run"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--write rewrites the file; --format diff only prints");
  });
});

describe("version", () => {
  it("is the package's own", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(cli(["--version"]).stdout.trim()).toBe(pkg.version);
  });
});
