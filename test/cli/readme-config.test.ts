/** README's example config is a working config: this runs the CLI with it, so the README stays true. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const readme = readFileSync("README.md", "utf8");
const block = readme.slice(
  readme.indexOf("<!-- config-example:start -->"),
  readme.indexOf("<!-- config-example:end -->"),
);
const example = /```yaml\n([\s\S]*?)```/.exec(block)?.[1] ?? "";

describe("README, Configuration", () => {
  const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Rules"));

  it("comes right after the commands and documents every config key", () => {
    expect(readme.indexOf("## Configuration")).toBeGreaterThan(readme.indexOf("<!-- commands:end -->"));
    for (const key of [
      "include",
      "exclude",
      "rules.disable",
      "rules.severity",
      "failOn",
      "suppress",
      "fix.probeImage",
      "fix.name",
      "fix.timeout",
    ]) {
      expect(section).toContain(`| \`${key}\``);
    }
    for (const form of [
      "--suppress",
      "Metadata:",
      "# firelens-preflight-ignore",
      "--config",
      "--no-config",
    ]) {
      expect(section).toContain(form);
    }
  });

  it("its example config runs: include, exclude, a file-keyed suppression and fix defaults", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-readme-"));
    mkdirSync(join(dir, ".git"));
    cpSync("examples", join(dir, "examples"), { recursive: true });
    writeFileSync(join(dir, "firelens-preflight.config.yaml"), example);
    const run = cli(["check", "-f", "json"], undefined, dir);
    expect(run.stderr).not.toContain("error");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      files: {
        file: string;
        findings: { ruleId: string; container?: string; suppressed?: { reason: string } }[];
      }[];
    };
    expect(report.files.map((f) => f.file).sort()).toEqual([
      "examples/seed/after.json",
      "examples/seed/before.json",
    ]);
    const before = report.files.find((f) => f.file === "examples/seed/before.json");
    expect(before?.findings.find((f) => f.ruleId === "FLP202")?.suppressed?.reason).toBe(
      "the router upgrade ships with the gate in the same change",
    );
    const fix = cli(["fix", "examples/seed/before.json", "--dry-run"], undefined, dir);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain("123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:0.1.0");
  });
});
