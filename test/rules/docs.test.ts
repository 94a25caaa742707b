import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderRuleDoc, renderRulesIndex } from "../../src/rules/docs.js";
import { rules } from "../../src/rules/index.js";

const DOCS = join(import.meta.dirname, "../../docs/rules");
const update = process.env.UPDATE_DOCS === "1";

/** Biome pads Markdown tables; compare table rows without the padding. */
function normalize(md: string): string {
  return md
    .split("\n")
    .map((l) => (l.startsWith("|") ? l.replace(/ {2,}/g, " ").replace(/-{3,}/g, "---") : l))
    .join("\n");
}

describe("docs/rules", () => {
  if (update) {
    mkdirSync(DOCS, { recursive: true });
    for (const r of rules) writeFileSync(join(DOCS, `${r.meta.id}.md`), renderRuleDoc(r));
    writeFileSync(join(DOCS, "README.md"), renderRulesIndex());
  }

  it.each(rules.map((r) => [r.meta.id, r] as const))(
    "%s has an up-to-date page (UPDATE_DOCS=1 rewrites)",
    (id, rule) => {
      const file = join(DOCS, `${id}.md`);
      expect(existsSync(file), `${file} is missing`).toBe(true);
      const text = readFileSync(file, "utf8");
      expect(normalize(text)).toBe(normalize(renderRuleDoc(rule)));
      expect(text).toContain(`# ${id}: ${rule.meta.title}`);
      for (const s of rule.meta.sources) expect(text).toContain(s);
    },
  );

  it("has an index listing every rule", () => {
    expect(normalize(readFileSync(join(DOCS, "README.md"), "utf8"))).toBe(normalize(renderRulesIndex()));
  });

  it("FLP202's page carries the known-bug table", () => {
    const text = readFileSync(join(DOCS, "FLP202.md"), "utf8");
    expect(normalize(text)).toContain("| E | /api/v1/health requested before the first metrics push");
    expect(text).toContain("<https://github.com/fluent/fluent-bit/issues/3983>");
  });
});
