/**
 * The probe's own version, as its `--version` and JSON line report it (so a stopped task's log says which probe
 * ran). The bundle (dist/probe.mjs, what the image runs) gets it at bundle time: scripts/bundle-probe.mjs defines
 * `__FIRELENS_PREFLIGHT_PROBE_VERSION__` from package.json, and the image holds no package.json to read. Every
 * other build (the library, the CLI's `probe` command, the sources under tsx) reads this package's package.json
 * above this file, as src/package-info.ts does; the probe imports nothing outside its directory, hence the copy.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

declare const __FIRELENS_PREFLIGHT_PROBE_VERSION__: string | undefined;

const PACKAGE_NAME = "firelens-preflight";

let cached: string | undefined;

/** The version of the package this probe came from (`0.1.0`); `unknown` when nothing says. */
export function probeVersion(): string {
  if (typeof __FIRELENS_PREFLIGHT_PROBE_VERSION__ === "string") return __FIRELENS_PREFLIGHT_PROBE_VERSION__;
  if (cached === undefined) cached = versionFromManifest();
  return cached;
}

function versionFromManifest(): string {
  try {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
      const file = join(dir, "package.json");
      if (existsSync(file)) {
        const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
        // dist/cjs/ and dist/cli/ hold a package.json that only says `"type": "commonjs"`: walk on to ours.
        if (manifest.name === PACKAGE_NAME && typeof manifest.version === "string") return manifest.version;
      }
      const parent = dirname(dir);
      if (parent === dir) return "unknown";
      dir = parent;
    }
  } catch {
    // A version is worth a line of output, never a failed gate.
    return "unknown";
  }
}
