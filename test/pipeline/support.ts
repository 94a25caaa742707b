/**
 * What the pipeline tests share: the repository root, the snippets README.md and docs/ci.md show (the tests run
 * exactly those), and the rule for a missing tool (skip saying why here; fail under CI=true, as test/image/ does).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = join(ROOT, "dist/cli/main.js");
export const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string })
  .version;
export const IN_CI = process.env.CI === "true";

/** Tools that do not answer `<tool> --version` here. */
export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((tool) => {
    const r = spawnSync(tool, ["--version"], { encoding: "utf8" });
    return r.error !== undefined || r.status !== 0;
  });
}

/** The fenced ```yaml blocks of a Markdown section (from its heading to the next heading of the same level). */
export function yamlBlocks(markdownFile: string, heading: string): string[] {
  const text = readFileSync(join(ROOT, markdownFile), "utf8");
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${markdownFile} has no section '${heading}'`);
  const level = /^#+/.exec(heading)?.[0] ?? "##";
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^${level} `, "m"));
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");
}

/** The one block of a section that contains `marker`. */
export function yamlBlock(markdownFile: string, heading: string, marker: string): string {
  const blocks = yamlBlocks(markdownFile, heading).filter((b) => b.includes(marker));
  if (blocks.length !== 1) {
    throw new Error(
      `${markdownFile} '${heading}': expected one yaml block with '${marker}', found ${blocks.length}`,
    );
  }
  return blocks[0] as string;
}

export const README_SECTION = "## In CI: pre-commit and GitHub Action";
