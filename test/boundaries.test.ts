/**
 * The parts meet at the model: Biome's noRestrictedImports (biome.json overrides) lets a part import another only
 * through its index.ts, the model's types or the probe's contract, and lets the probe import nothing outside its
 * folder. This runs the repository's own Biome with its own config over files shaped like the repository.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "flp-boundaries-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, importFrom: string, name = "x"): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), `import { ${name} } from "${importFrom}";\n\nexport const y = ${name};\n`);
}

function flagged(): string[] {
  copyFileSync(resolve("biome.json"), join(root, "biome.json"));
  let out: string;
  try {
    out = execFileSync(
      resolve("node_modules/.bin/biome"),
      ["lint", "--vcs-enabled=false", "--reporter=json", "."],
      {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
  } catch (e) {
    out = String((e as { stdout?: unknown }).stdout ?? "");
  }
  const report = JSON.parse(out) as { diagnostics: { category: string; location: { path: string } }[] };
  return report.diagnostics
    .filter((d) => d.category === "lint/style/noRestrictedImports")
    .map((d) => d.location.path.replace(/\\/g, "/"))
    .sort();
}

describe("part boundaries", () => {
  it("refuses a sibling's internal file and the probe reaching outside its folder; allows indexes, model types, the contract", () => {
    file("src/plan/into-sibling.ts", "../rules/util.js");
    file("src/cli/commands/into-sibling.ts", "../../rules/format/text.js");
    file("src/probe/outside.ts", "../model/index.js");
    file("src/plan/through-index.ts", "../rules/index.js");
    file("src/fix/model-types.ts", "../taskdef/model.js");
    file("src/cdk/contract.ts", "../probe/contract.js");
    file("src/cli/commands/through-index.ts", "../../plan/index.js");
    file("src/rules/format/own-part.ts", "../types.js");
    file("src/probe/own-folder.ts", "./contract.js");
    expect(flagged()).toEqual([
      "src/cli/commands/into-sibling.ts",
      "src/plan/into-sibling.ts",
      "src/probe/outside.ts",
    ]);
  });

  it("refuses an upward import (taskdef < model < firelens < {rules, plan, simulate, fix, diagnose, cdk, rehearse} < cli), even through an index", () => {
    rmSync(join(root, "src"), { recursive: true, force: true });
    // Upward: flagged.
    file("src/model/up-rules.ts", "../rules/index.js");
    file("src/taskdef/up-fix.ts", "../fix/index.js");
    file("src/taskdef/hcl/up-model.ts", "../../model/index.js");
    file("src/model/up-firelens.ts", "../firelens/index.js");
    file("src/firelens/up-plan.ts", "../plan/index.js");
    file("src/rules/up-cli.ts", "../cli/index.js");
    file("src/rules/format/up-cli.ts", "../../cli/index.js");
    file("src/simulate/up-cli.ts", "../cli/index.js");
    // A reader borrowed from the rules by a part beside them: flagged (it lives in the model or taskdef).
    file("src/fix/reader-from-rules.ts", "../rules/index.js", "routerImage");
    file("src/diagnose/reader-from-rules.ts", "../rules/index.js", "toJsonPath");
    file("src/cdk/version-from-rules.ts", "../rules/index.js", "compareVersions");
    // Downward or beside, through an index: allowed.
    file("src/model/down-taskdef.ts", "../taskdef/index.js");
    file("src/fix/down-model.ts", "../model/index.js", "routerImage");
    file("src/diagnose/down-taskdef.ts", "../taskdef/index.js", "toJsonPath");
    file("src/diagnose/catalogue.ts", "../rules/index.js", "ruleById");
    file("src/cdk/engine.ts", "../rules/index.js", "lintDocument");
    file("src/cli/commands/down-fix.ts", "../../fix/index.js");
    file("src/rules/down-model.ts", "../model/index.js");
    file("src/firelens/down-model.ts", "../model/index.js");
    expect(flagged()).toEqual([
      "src/cdk/version-from-rules.ts",
      "src/diagnose/reader-from-rules.ts",
      "src/firelens/up-plan.ts",
      "src/fix/reader-from-rules.ts",
      "src/model/up-firelens.ts",
      "src/model/up-rules.ts",
      "src/rules/format/up-cli.ts",
      "src/rules/up-cli.ts",
      "src/simulate/up-cli.ts",
      "src/taskdef/hcl/up-model.ts",
      "src/taskdef/up-fix.ts",
    ]);
  });

  it("the repository itself has no upward import", () => {
    let out: string;
    try {
      out = execFileSync(
        resolve("node_modules/.bin/biome"),
        ["lint", "--reporter=json", "--only=style/noRestrictedImports", "src"],
        { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
      );
    } catch (e) {
      out = String((e as { stdout?: unknown }).stdout ?? "");
    }
    const report = JSON.parse(out) as { diagnostics: { location: { path: string } }[] };
    expect(report.diagnostics.map((d) => d.location.path)).toEqual([]);
  });
});
