import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rules } from "../src/rules/index.js";

const readme = readFileSync("README.md", "utf8");

describe("README", () => {
  it("has the two-command quick start", () => {
    expect(readme).toContain("npm ci && node dist/cli/main.js check examples/seed\nnpm test\n");
  });

  it("lists every rule of the catalogue with its title and severity", () => {
    const section = readme.slice(
      readme.indexOf("<!-- rules:start -->"),
      readme.indexOf("<!-- rules:end -->"),
    );
    for (const rule of rules) {
      const row = section.split("\n").find((l) => l.startsWith(`| [${rule.meta.id}]`));
      expect(row, `${rule.meta.id} is missing from README`).toBeDefined();
      expect(row?.replace(/\s+/g, " ")).toContain(`| ${rule.meta.title} | ${rule.meta.severity} |`);
    }
  });

  it("documents every command the CLI has", () => {
    for (const command of ["check", "lint", "plan", "fix", "probe", "simulate", "diagnose", "rehearse"]) {
      expect(readme).toContain(`### \`${command}`);
    }
  });
});
