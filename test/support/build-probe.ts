/**
 * Vitest global setup: bundles the probe once per test run (`node scripts/bundle-probe.mjs`), so the end-to-end
 * tests run today's dist/probe.mjs and not a stale one, then copies it to a private path: other sessions may
 * rebuild dist/ while our child processes start from it.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of this run's copy of dist/probe.mjs, or "" when it could not be built. */
    probeBundle: string;
  }
}

export default function setup(project: TestProject): void {
  let bundle = "";
  try {
    execFileSync(process.execPath, ["scripts/bundle-probe.mjs"], { stdio: "pipe" });
    const dir = mkdtempSync(join(tmpdir(), "firelens-probe-"));
    bundle = join(dir, "probe.mjs");
    copyFileSync("dist/probe.mjs", bundle);
  } catch (err) {
    // Only the e2e tests need it; they report the missing bundle themselves instead of failing every suite.
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    process.stderr.write(`build-probe: could not bundle the probe (${detail})\n`);
    if (existsSync("dist/probe.mjs")) bundle = "dist/probe.mjs";
  }
  project.provide("probeBundle", bundle);
}
