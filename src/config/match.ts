/**
 * What a config's globs select. Every glob in a config (`include`, `exclude`, a suppression's `files`) is
 * relative to the config file's directory (`../` reaches above it), so a config means the same from whichever
 * directory the tool runs.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { LoadedConfig } from "./find.js";
import type { ConfigSuppression } from "./schema.js";

/**
 * `path` relative to the config's directory, with `/` (`../services/a.json` for a config in `ci/`), or
 * `undefined` when no relative path reaches it (another drive).
 */
export function relativeToConfig(loaded: LoadedConfig, path: string): string | undefined {
  const rel = relative(loaded.directory, resolve(path));
  if (rel === "" || isAbsolute(rel)) return undefined;
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/**
 * A matcher for config globs. Dot files match like any other (`**\/*.json` finds `.aws/task.json`): the tool,
 * not a shell, reads these globs, and a config that names a file should not miss it for its leading dot.
 */
export function globMatcher(globs: readonly string[]): (relPath: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch([...globs], { dot: true });
  return (relPath) => match(relPath);
}

/** Whether the config's `exclude` drops this file or directory (a directory also when its contents are excluded). */
export function excludedBy(loaded: LoadedConfig): (path: string, isDirectory?: boolean) => boolean {
  const match = globMatcher(loaded.config.exclude ?? []);
  return (path, isDirectory = false) => {
    const rel = relativeToConfig(loaded, path);
    if (rel === undefined) return false;
    return match(rel) || (isDirectory && match(`${rel}/`));
  };
}

/**
 * Whether a config suppression applies to a file: one without `files` applies everywhere (stdin included);
 * one with `files` only to files its globs match.
 */
export function suppressionCovers(
  loaded: LoadedConfig,
  suppression: ConfigSuppression,
): (file: string | undefined) => boolean {
  if (suppression.files === undefined) return () => true;
  const match = globMatcher(suppression.files);
  return (file) => {
    if (file === undefined) return false;
    const rel = relativeToConfig(loaded, file);
    return rel !== undefined && match(rel);
  };
}
