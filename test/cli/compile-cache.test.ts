/**
 * The bin turns on Node's own compile cache where Node has it (`module.enableCompileCache()`, Node ≥ 22.1) and
 * starts plainly where it does not (src/cli/launch.ts). What a user must see: the same answer from a cached run
 * and an uncached one, a cache only where Node keeps its own (never in their home), none when they turn it off
 * with Node's switch, and no environment variable of ours for it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = resolve("dist/cli/main.js");
const SEED = resolve("examples/seed/before.json");
const TERRAFORM = resolve("test/fixtures/terraform/service.tf");
const root = mkdtempSync(join(tmpdir(), "flp-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const nodeHasCache = major > 22 || (major === 22 && minor >= 1);

let dirs = 0;
/** A private temp directory and home for one run, so Node's default cache location is ours to inspect. */
function freshPlace(): { tmp: string; home: string } {
  const place = join(root, `run-${++dirs}`);
  const tmp = join(place, "tmp");
  const home = join(place, "home");
  mkdirSync(tmp, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { tmp, home };
}

function run(
  args: readonly string[],
  place: { tmp: string; home: string },
  env: Record<string, string> = {},
) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: undefined,
      NODE_DISABLE_COMPILE_CACHE: undefined,
      NODE_COMPILE_CACHE: undefined,
      XDG_CACHE_HOME: undefined,
      TMPDIR: place.tmp,
      HOME: place.home,
      ...env,
    },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Files under Node's default compile-cache directory (`os.tmpdir()/node-compile-cache`). */
function cached(place: { tmp: string }): string[] {
  const dir = join(place.tmp, "node-compile-cache");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

const uncachedPlace = freshPlace();
const uncached = run(["check", SEED], uncachedPlace, { NODE_DISABLE_COMPILE_CACHE: "1" });

describe(`the bin's compile cache on Node ${process.versions.node}`, () => {
  it("is the same CLI without a cache: the seed's findings, exit 1", () => {
    expect(uncached.code).toBe(1);
    expect(uncached.stdout).toContain("FLP201");
    expect(cached(uncachedPlace)).toEqual([]);
  });

  it(
    nodeHasCache
      ? "Node ≥ 22.1: the first run fills Node's cache, the next answers the same from it"
      : "Node < 22.1: starts plainly, with no cache anywhere, and answers the same",
    () => {
      const place = freshPlace();
      const first = run(["check", SEED], place);
      const written = cached(place);
      if (nodeHasCache) expect(written.length).toBeGreaterThan(0);
      else expect(written).toEqual([]);
      const second = run(["check", SEED], place);
      for (const r of [first, second]) expect(r).toEqual(uncached);
      expect(cached(place).length).toBe(written.length);
      // Never a cache of ours in the user's home, as the hand-made one wrote (~/.cache/firelens-preflight).
      expect(readdirSync(place.home)).toEqual([]);
    },
  );

  it("writes nothing under NODE_DISABLE_COMPILE_CACHE (Node's own switch)", () => {
    const place = freshPlace();
    expect(run(["check", SEED], place, { NODE_DISABLE_COMPILE_CACHE: "1" })).toEqual(uncached);
    expect(cached(place)).toEqual([]);
  });

  it("names no cache variable of its own in --help", () => {
    const help = run(["--help"], freshPlace()).stdout.replace(/\s+/g, " ");
    expect(help).toContain("Environment: NO_COLOR or FORCE_COLOR");
    expect(help).not.toMatch(/FIRELENS_PREFLIGHT_CACHE_DIR|code cache|compile cache/i);
  });

  it("reads Terraform from a cached run (the HCL parser loads beside the bundle)", () => {
    const place = freshPlace();
    const answers = [1, 2].map(() => run(["check", TERRAFORM], place));
    expect(answers[0]?.stderr).toBe("");
    expect(answers[0]?.stdout).toMatch(/service\.tf/);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1]).toEqual(run(["check", TERRAFORM], freshPlace(), { NODE_DISABLE_COMPILE_CACHE: "1" }));
  });
});
