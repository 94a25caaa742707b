import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// Builds the bundle the way `npm run build` does, into a scratch directory, and runs it as the image would.
const dir = mkdtempSync(join(tmpdir(), "probe-bundle-"));
const bundle = join(dir, "probe.mjs");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dist/probe.mjs", () => {
  it("builds to one file under 100 KB with only Node built-ins left as imports", () => {
    execFileSync(process.execPath, ["scripts/bundle-probe.mjs", bundle], { stdio: "pipe" });
    expect(statSync(bundle).size).toBeLessThan(100 * 1024);
  });

  it("teaches its options with --help", () => {
    const r = spawnSync(process.execPath, [bundle, "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    for (const word of [
      "--containers",
      "FIRELENS_PREFLIGHT_CONTAINERS",
      "--require",
      "--deadline",
      "--settle",
      "Exit codes",
    ]) {
      expect(r.stdout).toContain(word);
    }
  });

  it("knows its version without a package.json beside it (defined at bundle time)", () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    // The scratch directory has no package.json above it that names this package: only the define can tell.
    const r = spawnSync(process.execPath, [bundle, "--version"], { encoding: "utf8", cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
    const line = spawnSync(process.execPath, [bundle, "--containers", "app", "--deadline", "soon"], {
      encoding: "utf8",
      cwd: dir,
    });
    expect(line.status).toBe(2);
    expect(JSON.parse(line.stdout.trim())).toMatchObject({ version, exitCode: 2 });
  });

  it("runs from a path outside the repository: exit 3, one JSON line, before the deadline", () => {
    const r = spawnSync(
      process.execPath,
      [bundle, "--containers", "app", "--forward", "127.0.0.1:1", "--deadline", "600ms"],
      {
        encoding: "utf8",
        cwd: dir,
      },
    );
    expect(r.status).toBe(3);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ exitCode: 3, ok: false, level: "none" });
    expect(r.stderr).toMatch(/UNREACHABLE \(exit 3\)/);
  });

  it("SIGTERM ends it at once with exit 1 and an interrupted JSON line", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [
      bundle,
      "--containers",
      "app",
      "--forward",
      "127.0.0.1:1",
      "--deadline",
      "30s",
    ]);
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    // Past Node's own start-up (signals before the probe runs get the default action).
    await new Promise((r) => setTimeout(r, 1200));
    const t = Date.now();
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(Date.now() - t).toBeLessThan(1000);
    expect(code).toBe(1);
    expect(JSON.parse(out.trim())).toMatchObject({ interrupted: true, exitCode: 1 });
  });
});
