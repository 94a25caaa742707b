/**
 * Issue 19: units a newcomer can hold in their head. No function over 120 lines and no class over 300
 * lines in src/simulate (measured by size.ts on the syntax tree).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measure } from "./size.js";

const MAX_FUNCTION = 120;
const MAX_CLASS = 300;

describe("src/simulate unit sizes", () => {
  const units = measure("src/simulate");
  const over = (kind: "function" | "class", max: number) =>
    units
      .filter((u) => u.kind === kind && u.lines > max)
      .map((u) => `${u.file}:${u.line} ${u.name} (${u.lines} lines)`);

  it(`no function over ${MAX_FUNCTION} lines`, () => {
    expect(over("function", MAX_FUNCTION)).toEqual([]);
  });

  it(`no class over ${MAX_CLASS} lines`, () => {
    expect(over("class", MAX_CLASS)).toEqual([]);
  });

  it("measures what it should: a 130-line method in a 140-line class, doc comment left out", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-size-"));
    const body = Array.from({ length: 128 }, (_, i) => `    x += ${i};`).join("\n");
    const pad = Array.from({ length: 8 }, (_, i) => `  f${i} = ${i};`).join("\n");
    writeFileSync(
      join(dir, "big.ts"),
      `/** doc */\nexport class Big {\n${pad}\n  /** doc */\n  run(x: number) {\n${body}\n  }\n}\n`,
    );
    const found = measure(dir);
    expect(found.find((u) => u.name === "run")).toMatchObject({ kind: "function", lines: 130, line: 12 });
    expect(found.find((u) => u.name === "Big")).toMatchObject({ kind: "class", lines: 141, line: 2 });
    expect(units.some((u) => u.kind === "class" && u.name === "DeploymentSimulator")).toBe(true);
  });
});
