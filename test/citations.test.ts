/**
 * Comments cite only what is in the repository, and the shipped type declarations only what is shipped
 * (issue 19): a reader of a `.d.ts` in node_modules cannot open `test/fixtures/…` or a design note that
 * never left the project.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function files(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

/** Repository-relative paths a comment names, such as `docs/rules/FLP202.md` or `test/fixtures/x/`. */
function citedPaths(text: string): string[] {
  const found =
    text.match(/(?<![\w/.:<-])(?:docs|test|examples|src|bench|scripts)\/[\w./-]*[\w/](?![\w<-])/g) ?? [];
  return [...new Set(found)];
}

describe("citations", () => {
  it("no comment in src/ cites a file outside the repository", () => {
    const outside = files(join(ROOT, "src"), (f) => f.endsWith(".ts")).filter((f) =>
      /(?:\.\.\/shared|\breference\/[\w-]+\.md|\bshared\/)/.test(readFileSync(f, "utf8")),
    );
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("every path src/ cites exists in the repository", () => {
    const missing: string[] = [];
    for (const file of files(join(ROOT, "src"), (f) => f.endsWith(".ts"))) {
      for (const path of citedPaths(readFileSync(file, "utf8"))) {
        if (!existsSync(join(ROOT, path.replace(/[.]$/, ""))))
          missing.push(`${relative(ROOT, file)}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("the shipped .d.ts files cite only shipped files", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    const shipped = pkg.files.filter((f) => !f.startsWith("!"));
    const dist = join(ROOT, "dist");
    expect(existsSync(dist), "run npm run build first").toBe(true);
    const unshipped: string[] = [];
    for (const file of files(dist, (f) => f.endsWith(".d.ts"))) {
      for (const path of citedPaths(readFileSync(file, "utf8"))) {
        if (!shipped.some((s) => path === s || path.startsWith(`${s}/`))) {
          unshipped.push(`${relative(ROOT, file)}: ${path}`);
        }
      }
    }
    expect(unshipped).toEqual([]);
  });
});
