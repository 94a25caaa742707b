/** `fix` over several files, as a pre-commit hook runs it: each file on its own, the worst exit code. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const IMAGE = ["--probe-image", "example.com/probe:1"];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "flp-fix-many-"));
  copyFileSync("examples/seed/before.json", join(dir, "before.json"));
  copyFileSync("examples/seed/after.json", join(dir, "after.json"));
  writeFileSync(join(dir, "hello.json"), '{ "hello": "world" }\n');
  return dir;
}

describe("fix with several files", () => {
  it("--dry-run prints one diff per changed file and says which are unchanged", () => {
    const dir = workspace();
    const run = cli(
      ["fix", "--dry-run", "--no-config", ...IMAGE, "before.json", "after.json"],
      undefined,
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout.match(/^--- before\.json/gm)).toHaveLength(1);
    expect(run.stdout).not.toContain("after.json");
    expect(run.stderr).toContain("after.json: unchanged");
  });

  it("a file that cannot be fixed is reported and the others still run; the exit code is the worst", () => {
    const dir = workspace();
    const run = cli(
      ["fix", "--dry-run", "--no-config", ...IMAGE, "hello.json", "before.json"],
      undefined,
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: hello.json:1:1: expected an ECS task definition");
    expect(run.stdout).toContain("--- before.json");
  });

  it("--write rewrites each file; --format json gives a list of reports", () => {
    const dir = workspace();
    const json = cli(
      ["fix", "-f", "json", "--no-config", ...IMAGE, "before.json", "after.json"],
      undefined,
      dir,
    );
    const reports = JSON.parse(json.stdout) as { file: string; changed: boolean }[];
    expect(reports.map((r) => [r.file, r.changed])).toEqual([
      ["before.json", true],
      ["after.json", false],
    ]);
    copyFileSync("examples/seed/before.json", join(dir, "second.json"));
    const write = cli(
      ["fix", "--write", "--no-config", ...IMAGE, "before.json", "second.json"],
      undefined,
      dir,
    );
    expect(write.code).toBe(0);
    for (const f of ["before.json", "second.json"]) {
      expect(readFileSync(join(dir, f), "utf8")).toContain("log-router-preflight");
    }
  });

  it("refuses -o and printing several documents, as usage errors", () => {
    const dir = workspace();
    const output = cli(["fix", "-o", "out.json", ...IMAGE, "before.json", "after.json"], undefined, dir);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain("-o/--output takes one file's result");
    const documents = cli(["fix", ...IMAGE, "before.json", "after.json"], undefined, dir);
    expect(documents.code).toBe(2);
    expect(documents.stderr).toContain("fix prints one gated document");
  });
});

describe("flags for hooks that pass every staged file", () => {
  it("fix --check prints the diff and exits 1 while a file lacks the gate, 0 once none does", () => {
    const dir = workspace();
    const missing = cli(
      ["fix", "--check", "--no-config", ...IMAGE, "after.json", "before.json"],
      undefined,
      dir,
    );
    expect(missing.code).toBe(1);
    expect(missing.stdout.match(/^--- before\.json/gm)).toHaveLength(1);
    expect(missing.stderr).toContain("1 file would be changed by fix (run it with --write)");
    const gated = cli(["fix", "--check", "--no-config", ...IMAGE, "after.json"], undefined, dir);
    expect(gated.code).toBe(0);
    expect(gated.stdout).toBe("");
  });

  it("fix --check refuses --write and formats other than a diff", () => {
    const dir = workspace();
    expect(cli(["fix", "--check", "--write", ...IMAGE, "before.json"], undefined, dir).code).toBe(2);
    const json = cli(["fix", "--check", "-f", "json", ...IMAGE, "before.json"], undefined, dir);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain("--check prints a diff");
  });

  it("--ignore-unknown skips a named file that is no task definition, in check and fix alike", () => {
    const dir = workspace();
    const strict = cli(["check", "--no-config", "hello.json", "after.json"], undefined, dir);
    expect(strict.code).toBe(2);
    const check = cli(
      ["check", "--no-config", "--ignore-unknown", "hello.json", "after.json"],
      undefined,
      dir,
    );
    expect(check.code).toBe(0);
    expect(check.stderr).toContain("skipped");
    const fix = cli(
      ["fix", "--check", "--no-config", "--ignore-unknown", ...IMAGE, "hello.json", "after.json"],
      undefined,
      dir,
    );
    expect(fix.code).toBe(0);
    expect(fix.stderr).toContain("hello.json: skipped (not a task definition)");
  });

  it("--ignore-unknown still fails a file that looks like a task definition and does not parse", () => {
    const dir = workspace();
    writeFileSync(join(dir, "broken.json"), '{ "containerDefinitions": [ { "name": "app", }\n');
    const run = cli(["check", "--no-config", "--ignore-unknown", "broken.json"], undefined, dir);
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toContain("broken.json:1:");
  });
});
