/**
 * Where the config lives. One config per run, found from the working directory upwards: the nearest directory
 * that has `firelens-preflight.config.json`, `.yaml` or `.yml`, or a package.json with a `"firelens-preflight"`
 * key, wins; the search stops at the repository root (the directory holding `.git`) or the filesystem root.
 * Two config files in one directory are an error: which one would win is not obvious.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { ConfigFileError, locateKey, parseConfigText, type Segment } from "./load.js";
import type { ProjectConfig } from "./schema.js";

export const CONFIG_FILE_NAMES = [
  "firelens-preflight.config.json",
  "firelens-preflight.config.yaml",
  "firelens-preflight.config.yml",
] as const;
export const PACKAGE_JSON_KEY = "firelens-preflight";

export interface LoadedConfig {
  /** The file it came from (absolute). */
  readonly file: string;
  /** Its directory: globs in the config are relative to it. */
  readonly directory: string;
  readonly config: ProjectConfig;
  /** The file's text, to locate its keys in messages. */
  readonly text: string;
  /** Where the config sits in that text: `[]`, or `["firelens-preflight"]` in a package.json. */
  readonly base: readonly string[];
}

/** A path for messages: relative to the working directory when below it, else absolute. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** Read one named config file (`--config`): a config file, or a package.json with the key. */
export function loadConfigFile(given: string): LoadedConfig {
  const file = resolve(given);
  const path = shown(file);
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error("is not a regular file");
    text = readFileSync(file, "utf8");
  } catch (e) {
    const why =
      (e as { code?: string }).code === "ENOENT"
        ? "no such file"
        : e instanceof Error
          ? e.message
          : String(e);
    throw new ConfigFileError(path, 1, 1, "", `cannot read the config: ${why}`);
  }
  const base = basename(file) === "package.json" ? [PACKAGE_JSON_KEY] : [];
  return { file, directory: dirname(file), config: parseConfigText(text, path, base), text, base };
}

function packageKey(dir: string): string | undefined {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    return Object.hasOwn(data, PACKAGE_JSON_KEY) ? file : undefined;
  } catch {
    // A package.json we cannot read holds no config of ours; npm will complain about it on its own.
    return undefined;
  }
}

/** The config that applies to a run in `cwd`, or `undefined` when there is none. */
export function findConfig(cwd: string): LoadedConfig | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidates = CONFIG_FILE_NAMES.map((n) => join(dir, n)).filter((f) => existsSync(f));
    const pkg = packageKey(dir);
    if (pkg !== undefined) candidates.push(pkg);
    if (candidates.length > 1) {
      throw new ConfigFileError(
        shown(candidates[1] as string),
        1,
        1,
        "",
        `two configs in one directory (${candidates.map((c) => c.slice(dir.length + 1)).join(", ")}): keep one`,
      );
    }
    if (candidates[0] !== undefined) return loadConfigFile(candidates[0]);
    if (existsSync(join(dir, ".git"))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where a key of a loaded config is written (`["suppress", 2]`), with the file's position conventions. */
export function locateConfigKey(
  loaded: LoadedConfig,
  path: readonly Segment[],
): { line: number; column: number; offset: number; length: number } {
  return locateKey(loaded.text, [...loaded.base, ...path]);
}

/** A located error about a valid-looking value the CLI cannot use (an unknown rule id). */
export function configKeyError(
  loaded: LoadedConfig,
  path: readonly Segment[],
  detail: string,
): ConfigFileError {
  const { line, column } = locateConfigKey(loaded, path);
  const key = path.reduce<string>(
    (out, seg) => (typeof seg === "number" ? `${out}[${seg}]` : out === "" ? seg : `${out}.${seg}`),
    "",
  );
  return new ConfigFileError(shown(loaded.file), line, column, key, detail);
}
