#!/usr/bin/env node
/**
 * The `firelens-preflight` bin: runs the bundled CLI (`run.js` beside it) from a V8 code cache.
 *
 * A pre-commit hook starts the CLI on every commit, and compiling the bundle (every function `check` runs,
 * plus a pre-parse of the rest) was a third of its start-up. Node 22 offers `module.enableCompileCache()` for
 * this; Node 20 does not, so the bundle is compiled here with `vm.Script`, whose `cachedData` is V8's own code
 * cache, and the cache is written after the first run of each command, once that run's functions are compiled.
 * Anything wrong with the cache (missing, stale, from another Node or another build, unwritable directory)
 * costs only the compile it would have saved: V8 rejects data it did not make for this exact source and
 * version, the key names the source's hash, and every cache I/O error is ignored.
 *
 * The cache lives per user (`$XDG_CACHE_HOME` or `~/.cache`, `%LOCALAPPDATA%` on Windows, under
 * `firelens-preflight/`): it is code the CLI runs, so it must never sit where another user could plant it.
 * `FIRELENS_PREFLIGHT_CACHE_DIR` moves it; `NODE_DISABLE_COMPILE_CACHE=1` (Node's own switch) turns it off.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

/** Caches kept per directory: enough for every command of a few installed versions side by side. */
const KEEP = 24;

function cacheDirectory(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (env.FIRELENS_PREFLIGHT_CACHE_DIR) return env.FIRELENS_PREFLIGHT_CACHE_DIR;
  const base =
    env.XDG_CACHE_HOME || (process.platform === "win32" ? env.LOCALAPPDATA : undefined) || homeCache();
  return base === undefined ? undefined : join(base, "firelens-preflight");
}

function homeCache(): string | undefined {
  // No home directory (a container user without one): run without a cache rather than write one into the
  // working directory.
  try {
    const home = homedir();
    return isAbsolute(home) ? join(home, ".cache") : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Each command gets its own cache, so `check` does not run from one written by `--version`, which compiled
 * almost nothing. The slot is the first word that is not an option; anything else shares one slot.
 */
function slotOf(args: readonly string[]): string {
  const word = args.find((a) => !a.startsWith("-")) ?? "";
  return /^[a-z]{1,16}$/.test(word) ? word : "cli";
}

function writeCache(directory: string, file: string, data: Buffer): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    // Written aside and renamed: a concurrent run (pre-commit runs hooks in parallel) reads a whole file or none.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
    const entries = readdirSync(directory)
      .filter((name) => name.endsWith(".v8cache"))
      .map((name) => ({ path: join(directory, name), mtime: statSync(join(directory, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of entries.slice(KEEP)) rmSync(old.path, { force: true });
  } catch {
    // A read-only home or a full disk: the next run compiles again, which is all the cache saves.
  }
}

function run(bundle: string): void {
  const source = readFileSync(bundle, "utf8");
  const directory = cacheDirectory(process.env);
  if (directory === undefined) {
    createRequire(bundle)(bundle);
    return;
  }
  const key = createHash("sha256")
    .update(`${process.version} ${process.arch}\0`)
    .update(source)
    .digest("hex")
    .slice(0, 32);
  const file = join(directory, `${key}-${slotOf(process.argv.slice(2))}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once("exit", () => writeCache(directory, file, script.createCachedData()));
  }
  // The bundle is a CommonJS module with no exports: it needs only `require` resolving from its own folder.
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

run(join(dirname(fileURLToPath(import.meta.url)), "run.js"));
