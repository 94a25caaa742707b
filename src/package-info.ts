/**
 * Where this package is installed, and its version. The modules that need it sit at different depths in
 * the repository (`src/`) and in the package (`dist/`, `dist/cjs/`), so the root is found by walking up to
 * our own `package.json` rather than by a fixed number of `..`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_NAME = "firelens-preflight";

interface Manifest {
  readonly name?: string;
  readonly version?: string;
}

let cached: { root: string; manifest: Manifest } | undefined;

function locate(): { root: string; manifest: Manifest } {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
      // dist/cjs/package.json only says `"type": "commonjs"`; keep walking to the one with our name.
      if (manifest.name === PACKAGE_NAME) {
        cached = { root: dir, manifest };
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE_NAME}: cannot find its own package.json above ${dir}`);
    dir = parent;
  }
}

/** The directory holding this package's `package.json` (and the probe's `Dockerfile`). */
export function packageRoot(): string {
  return locate().root;
}

/** This package's version, e.g. `0.1.0`. */
export function packageVersion(): string {
  return locate().manifest.version ?? "0.0.0";
}
