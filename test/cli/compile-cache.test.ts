/**
 * The bin runs the bundled CLI from a V8 code cache (src/cli/launch.ts). What a user must never see: a different
 * answer from a cached run, a failure because the cache is missing, corrupt, from another build or unwritable,
 * or a cache written where they turned it off.
 */
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = resolve("dist/cli/main.js");
const SEED = resolve("examples/seed/before.json");
const TERRAFORM = resolve("test/fixtures/terraform/service.tf");
const root = mkdtempSync(join(tmpdir(), "flp-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
function freshDir(): string {
  return join(root, `cache-${++dirs}`);
}

function run(args: readonly string[], env: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: undefined,
      NODE_DISABLE_COMPILE_CACHE: undefined,
      ...env,
    },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function caches(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".v8cache"));
  } catch {
    return [];
  }
}

const uncached = run(["check", SEED], { NODE_DISABLE_COMPILE_CACHE: "1" });

describe("the bin's code cache", () => {
  it("is the same CLI without a cache: the seed's findings, exit 1", () => {
    expect(uncached.code).toBe(1);
    expect(uncached.stdout).toContain("FLP201");
  });

  it("writes one cache per command on the first run, and the next run answers the same from it without rewriting", () => {
    const dir = freshDir();
    const first = run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir });
    expect(caches(dir)).toEqual([expect.stringMatching(/^[0-9a-f]{32}-check\.v8cache$/)]);
    const file = join(dir, caches(dir)[0] ?? "");
    const written = statSync(file).mtimeMs;
    const bytes = readFileSync(file);
    const second = run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir });
    for (const r of [first, second]) expect(r).toEqual(uncached);
    expect(statSync(file).mtimeMs).toBe(written);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    run(["lint", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir });
    expect(
      caches(dir)
        .map((f) => f.replace(/^[0-9a-f]+-/, ""))
        .sort(),
    ).toEqual(["check.v8cache", "lint.v8cache"]);
  });

  it("replaces a corrupt cache (V8 rejects it) and still answers correctly", () => {
    const dir = freshDir();
    run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir });
    const file = join(dir, caches(dir)[0] ?? "");
    const good = readFileSync(file);
    writeFileSync(file, Buffer.alloc(good.length, 0x5a));
    expect(run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir })).toEqual(uncached);
    expect(readFileSync(file).equals(Buffer.alloc(good.length, 0x5a))).toBe(false);
    expect(run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir })).toEqual(uncached);
  });

  it("runs when the cache cannot be written (a file where the directory should be)", () => {
    const blocked = join(root, "not-a-directory");
    writeFileSync(blocked, "");
    expect(run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: blocked })).toEqual(uncached);
  });

  it("writes nothing under NODE_DISABLE_COMPILE_CACHE", () => {
    const dir = freshDir();
    expect(
      run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir, NODE_DISABLE_COMPILE_CACHE: "1" }),
    ).toEqual(uncached);
    expect(caches(dir)).toEqual([]);
  });

  it("keeps the newest 24 caches in its directory", () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 30; i++) {
      const old = join(dir, `${String(i).padStart(32, "0")}-check.v8cache`);
      writeFileSync(old, "stale");
      utimesSync(old, 1_000_000 + i, 1_000_000 + i);
    }
    run(["check", SEED], { FIRELENS_PREFLIGHT_CACHE_DIR: dir });
    const kept = caches(dir);
    expect(kept).toHaveLength(24);
    // The new one, and the 23 most recent of the old ones (7 … 29).
    expect(kept.filter((f) => f.startsWith("0000")).sort()[0]).toBe(`${"7".padStart(32, "0")}-check.v8cache`);
  });

  it("is described in --help: where it lives and how to turn it off", () => {
    const help = run(["--help"], {}).stdout.replace(/\s+/g, " ");
    expect(help).toContain("FIRELENS_PREFLIGHT_CACHE_DIR");
    expect(help).toContain("NODE_DISABLE_COMPILE_CACHE=1");
  });

  it("reads Terraform from a cached run (the HCL parser loads through require, not import())", () => {
    const dir = freshDir();
    const answers = [1, 2].map(() => run(["check", TERRAFORM], { FIRELENS_PREFLIGHT_CACHE_DIR: dir }));
    expect(answers[0]?.stderr).toBe("");
    expect(answers[0]?.stdout).toMatch(/service\.tf/);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1]).toEqual(run(["check", TERRAFORM], { NODE_DISABLE_COMPILE_CACHE: "1" }));
  });
});
