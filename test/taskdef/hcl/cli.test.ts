/** The built CLI on Terraform files, as a user runs it; and the parser stays unloaded for JSON. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../support/cli.js";

const DIR = "test/fixtures/terraform";

describe("CLI on Terraform", () => {
  it("lint prints file.tf:line:column and exits 1 on errors", () => {
    const run = cli(["lint", `${DIR}/service.tf`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${DIR}/service.tf (terraform-hcl)`);
    expect(run.stdout).toContain(`${DIR}/service.tf:65:7  error  FLP201`);
  });

  it("fix --write twice: the second run leaves the file alone, and check then passes", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-tf-"));
    try {
      const file = join(dir, "main.tf");
      copyFileSync(`${DIR}/service.tf`, file);
      const first = cli(["fix", file, "--probe-image", "example/probe:1", "--write"]);
      expect(first.code).toBe(0);
      const written = readFileSync(file, "utf8");
      const second = cli(["fix", file, "--write"]);
      expect(second.code).toBe(0);
      expect(second.stderr).toContain("unchanged: already gated");
      expect(readFileSync(file, "utf8")).toBe(written);
      expect(cli(["check", file]).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fix on a plan refuses (exit 2) and names the .tf line", () => {
    const run = cli(["fix", `${DIR}/plan/plan.json`, "--probe-image", "example/probe:1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/fix the configuration that writes it instead: .*main\.tf:8\)/);
  });

  it("loads the HCL parser only when a Terraform file is read", () => {
    const script = [
      `const { loadDocument } = await import(${JSON.stringify(resolve("dist/taskdef/index.js"))});`,
      `const { hclParserLoaded } = await import(${JSON.stringify(resolve("dist/taskdef/hcl/parser.js"))});`,
      "await loadDocument('examples/seed/before.json');",
      "const afterJson = hclParserLoaded();",
      `await loadDocument(${JSON.stringify(`${DIR}/service.tf`)});`,
      "console.log(JSON.stringify([afterJson, hclParserLoaded()]));",
    ].join("\n");
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual([false, true]);
  });
});
