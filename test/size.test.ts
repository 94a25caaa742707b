/**
 * Issue 19: units a newcomer can hold in their head. No function over 120 lines and no class over 300
 * lines anywhere in src/ (measured by test/support/size.ts on the syntax tree).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { measure } from "./support/size.js";

const MAX_FUNCTION = 120;
const MAX_CLASS = 300;

describe("src/ unit sizes", () => {
  const units = measure("src");
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

/**
 * Issue 27 item 7: what the docs say works from the installed package needs its files in the package. `npm pack
 * --dry-run` lists what `files` ships; the scripts users run there (`npm run image`) are run from a copy of
 * exactly those files, as node_modules/firelens-preflight holds them.
 */
describe("package contents", () => {
  const root = join(import.meta.dirname, "..");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  /** Scripts the docs tell users to run in node_modules/firelens-preflight. */
  const FROM_INSTALLED = ["image"];
  let shipped: string[] = [];

  beforeAll(() => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    shipped = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
  }, 60_000);

  it.each(FROM_INSTALLED)("ships what `npm run %s` runs, and the files it reads", (name) => {
    const program = /^node (\S+)/.exec(pkg.scripts[name] ?? "")?.[1];
    expect(program, pkg.scripts[name]).toBeDefined();
    expect(shipped).toContain(program);
    const text = readFileSync(join(root, program as string), "utf8");
    // Relative imports: none today; any added later must ship too.
    for (const [, spec] of text.matchAll(/^import .* from "(\.[^"]+)";$/gm)) {
      expect(shipped).toContain(posix.join(posix.dirname(program as string), spec as string));
    }
    for (const needed of ["Dockerfile", ".dockerignore", "package.json"]) expect(shipped).toContain(needed);
  });

  it("`npm run image -- --help` runs from the shipped files alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "flp-installed-"));
    for (const f of shipped.filter((p) => !p.startsWith("dist/"))) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(root, f), join(dir, f));
    }
    const r = spawnSync("npm", ["run", "--silent", "image", "--", "--help"], { cwd: dir, encoding: "utf8" });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("--tag <ref>");
  });
});
