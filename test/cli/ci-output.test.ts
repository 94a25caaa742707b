/**
 * What a CI step relies on: the summary line, `--quiet`, `--format github` annotations with GitHub's escaping,
 * and exit codes that mean what `--help` and README say.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeError } from "../../src/cli/boundary.js";
import { escapeData, escapeProperty } from "../../src/rules/index.js";
import { cli } from "../support/cli.js";

const BEFORE = "examples/seed/before.json";
const AFTER = "examples/seed/after.json";
const SUPPRESS = "FLP202[log-router]=upgrade planned with the Q3 platform work";

/** GitHub's runner reverses the escaping in this order (actions/runner ActionCommand.Unescape*). */
function githubUnescape(text: string): string {
  return text
    .replace(/%2C/g, ",")
    .replace(/%3A/g, ":")
    .replace(/%0A/g, "\n")
    .replace(/%0D/g, "\r")
    .replace(/%25/g, "%");
}

describe("summary line and --quiet", () => {
  it("ends lint and check text with counts by severity, files and suppressed", () => {
    const lint = cli(["lint", BEFORE, AFTER, "--suppress", SUPPRESS]);
    expect(lint.stdout.trimEnd().split("\n").at(-1)).toBe(
      "2 errors, 1 warning, 0 notes in 2 files; 2 suppressed",
    );
    const check = cli(["check", AFTER]);
    expect(check.stdout.trimEnd().split("\n").at(-1)).toBe(
      "0 errors, 2 warnings, 0 notes in 1 file; 0 suppressed",
    );
  });

  it("--quiet prints the findings that need attention and nothing else", () => {
    const run = cli(["check", BEFORE, "examples/seed", "--quiet", "--suppress", SUPPRESS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FLP201");
    for (const gone of ["startup order", "verdict", "suppressed", "in 2 files", "note:"]) {
      expect(run.stdout + run.stderr).not.toContain(gone);
    }
    expect(run.stderr).toBe("");
    const clean = cli(["lint", AFTER, "--quiet", "--disable", "FLP202,FLP212"]);
    expect([clean.code, clean.stdout, clean.stderr]).toEqual([0, "", ""]);
  });
});

describe("--format github", () => {
  it("escapes data and property values so nothing can end or forge a command", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const p = escapeProperty(s);
        expect(p).not.toMatch(/[\r\n:,]/);
        expect(githubUnescape(p)).toBe(s);
        const d = escapeData(s);
        expect(d).not.toMatch(/[\r\n]/);
        expect(githubUnescape(d)).toBe(s);
      }),
    );
  });

  it("emits one workflow command per unsuppressed finding, at its location, for check and lint", () => {
    for (const command of ["check", "lint"]) {
      const run = cli([command, BEFORE, AFTER, "-f", "github", "--suppress", SUPPRESS]);
      expect(run.code).toBe(1);
      const lines = run.stdout.trimEnd().split("\n");
      expect(lines).toContain(
        "::error file=examples/seed/before.json,line=54,col=7,endLine=54,title=FLP201::Container 'app' logs through the essential FireLens router 'log-router' and nothing verifies that path before it starts: a router crash on the first flush stops the task after it took traffic.",
      );
      expect(lines.filter((l) => l.includes("title=FLP202"))).toEqual([]);
      expect(lines.filter((l) => l.startsWith("::warning file=examples/seed/after.json"))).toHaveLength(1);
      expect(lines.every((l) => /^::(error|warning|notice) file=/.test(l))).toBe(true);
    }
  });

  it("escapes a file name with a comma and a colon, and turns notes into notices", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-gh-"));
    writeFileSync(join(dir, "a,b:c.json"), readFileSync(AFTER));
    const run = cli(["lint", "a,b:c.json", "-f", "github", "--disable", "FLP212"], undefined, dir);
    expect(run.stdout).toMatch(
      /^::warning file=a%2Cb%3Ac\.json,line=12,col=7,endLine=12,title=FLP202::Router/,
    );
    const severity = join(dir, "firelens-preflight.config.json");
    writeFileSync(severity, '{ "rules": { "severity": { "FLP202": "note" } } }');
    const notes = cli(["lint", "a,b:c.json", "-f", "github", "--disable", "FLP212"], undefined, dir);
    expect(notes.stdout).toMatch(/^::notice file=a%2Cb%3Ac\.json,/);
  });
});

describe("exit codes", () => {
  const documented =
    /Exit codes: 0 clean; 1 findings at or above --fail-on; 2 bad input, output, usage or config file; 3 internal error/;

  it("are documented in check's, lint's and fix's --help and in README", () => {
    for (const command of ["check", "lint"])
      expect(cli([command, "--help"]).stdout.replace(/\s+/g, " ")).toMatch(documented);
    // fix has no --fail-on: its 1 is --check finding a file to change.
    expect(cli(["fix", "--help"]).stdout.replace(/\s+/g, " ")).toMatch(
      /Exit codes: 0 done \(or nothing to change\); 1 with --check, a file would change; 2 bad input, output, usage or config file; 3 internal error/,
    );
    const readme = readFileSync("README.md", "utf8");
    const check = readme
      .slice(readme.indexOf("### `check"), readme.indexOf("### `lint"))
      .replace(/\s+/g, " ");
    expect(check).toContain(
      "Exit codes: `0` clean; `1` findings at or above `--fail-on`; `2` bad input, output, usage or config file; `3` internal error.",
    );
  });

  it("are what they say: 0 clean, 1 findings, 2 bad input, usage or config, 3 a bug", () => {
    expect(cli(["lint", AFTER, "--no-config"]).code).toBe(0);
    expect(cli(["lint", BEFORE, "--no-config"]).code).toBe(1);
    expect(cli(["lint", "no/such/file.json"]).code).toBe(2);
    expect(cli(["lint", BEFORE, "--fail-on", "loud"]).code).toBe(2);
    expect(cli(["lint", BEFORE, "--config", "no/such/config.yaml"]).code).toBe(2);
    // Exit 3 needs a bug; the boundary that maps any unexpected error is what every command goes through.
    expect(describeError(new TypeError("boom"), undefined).code).toBe(3);
  });
});
