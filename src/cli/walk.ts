/**
 * Which files a run reads. Directories are walked recursively and globs are expanded here, not by the shell,
 * so a quoted `'**\/*.json'` means the same on every shell. Both skip what a repository never wants linted:
 * `node_modules`, `.git`, `cdk.out` (CDK's synthesized copies of the templates it came from) and whatever
 * `.gitignore` files ignore, the repository root's and nested ones, read the way git reads them (a deeper file
 * wins). A directory reached twice (a symbolic link loop) is walked once; anything that is not a regular file
 * once links are followed (a FIFO would block the run) is skipped with its reason.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { InputError, ioReason, UsageError } from "./errors.js";

/** Never walked into: dependencies, git's own store, CDK's synthesized output. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(["node_modules", ".git", "cdk.out"]);

/** Files a directory walk considers: the formats the tool reads. */
export const DOCUMENT_EXTENSIONS = [".json", ".yaml", ".yml", ".template", ".tf"] as const;

export interface Candidate {
  /** As shown in messages: the path as given, or joined onto the directory or glob base as given. */
  readonly file: string;
  /** Named on the command line: a file that is not a task definition stays an error. */
  readonly explicit: boolean;
}

export interface Selection {
  readonly files: Candidate[];
  /** Found but not read, with the reason (not a regular file, excluded by the config). */
  readonly skipped: { file: string; why: string }[];
}

export interface SelectOptions {
  /** The config's `exclude`, as a predicate on paths (directories are pruned when it says so). */
  readonly excluded?: (path: string, isDirectory?: boolean) => boolean;
  /** Where relative globs start; @default process.cwd() */
  readonly cwd?: string;
  /**
   * Whether globs match names with a leading dot. Off for globs on the command line, as a shell would;
   * on for the config's, which name files on purpose.
   */
  readonly dot?: boolean;
}

interface Layer {
  readonly dir: string;
  readonly rules: Ignore;
}

function posix(rel: string): string {
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** Text of a file, or `undefined` when there is none (or it is unreadable, which git would not honour either). */
async function readIfAny(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The ignore rules of one directory: its `.gitignore`, and at a repository root also `.git/info/exclude`
 * (git's own per-clone list), which the directory's `.gitignore` overrides as in git.
 */
async function gitignoreAt(dir: string): Promise<Layer | undefined> {
  const exclude = await readIfAny(join(dir, ".git", "info", "exclude"));
  const text = await readIfAny(join(dir, ".gitignore"));
  if (exclude === undefined && text === undefined) return undefined;
  return {
    dir,
    rules: ignore()
      .add(exclude ?? "")
      .add(text ?? ""),
  };
}

/** Whether the layers ignore `path`; deeper layers come later and override (`!keep.json` re-includes). */
function ignoredBy(layers: readonly Layer[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = relative(layer.dir, path);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) continue;
    const verdict = layer.rules.test(posix(rel) + (isDirectory ? "/" : ""));
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** The `.gitignore` layers above `dir` up to its repository root (none outside a repository). */
async function ancestorLayers(dir: string): Promise<Layer[]> {
  const chain: string[] = [];
  for (let d = dirname(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (await exists(join(d, ".git"))) break;
    if (dirname(d) === d) return []; // Not inside a repository: no root .gitignore governs it.
  }
  const layers: Layer[] = [];
  for (const d of chain) {
    const layer = await gitignoreAt(d);
    if (layer !== undefined) layers.push(layer);
  }
  return layers;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

interface Walk {
  readonly accept: (rel: string, name: string) => boolean;
  readonly excluded?: (path: string, isDirectory?: boolean) => boolean;
  readonly seen: Set<string>;
  readonly out: Selection;
}

/** What kind of non-regular file this is, for the skip note. */
function describe(info: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  const what = info.isFIFO()
    ? "a FIFO"
    : info.isSocket()
      ? "a socket"
      : info.isCharacterDevice()
        ? "a character device"
        : info.isBlockDevice()
          ? "a block device"
          : "something else";
  return `${what}, not a regular file`;
}

/** What a directory entry is once symbolic links are followed: a file, a directory, or why it is neither. */
async function kindOf(path: string, entry: Dirent): Promise<string> {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "directory";
  if (!entry.isSymbolicLink()) return describe(entry);
  try {
    const info = await stat(path);
    return info.isFile() ? "file" : info.isDirectory() ? "directory" : describe(info);
  } catch (error) {
    return `cannot read: ${ioReason(error)}`;
  }
}

async function walk(
  walkState: Walk,
  dir: string,
  shown: string,
  rel: string,
  layers: Layer[],
): Promise<void> {
  // A link back up the tree would walk forever: each real directory is walked once.
  let real: string;
  try {
    real = await realpath(dir);
  } catch (error) {
    walkState.out.skipped.push({ file: shown, why: `cannot read directory: ${ioReason(error)}` });
    return;
  }
  if (walkState.seen.has(real)) return;
  walkState.seen.add(real);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new InputError(shown, `cannot read directory: ${ioReason(error)}`);
  }
  const own = await gitignoreAt(dir);
  const here = own === undefined ? layers : [...layers, own];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    const childShown = join(shown, entry.name);
    const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
    const kind = await kindOf(path, entry);
    if (kind === "directory") {
      if (SKIPPED_DIRECTORIES.has(entry.name) || ignoredBy(here, path, true)) continue;
      if (walkState.excluded?.(path, true) === true) continue;
      await walk(walkState, path, childShown, childRel, here);
      continue;
    }
    if (!walkState.accept(childRel, entry.name) || ignoredBy(here, path, false)) continue;
    if (walkState.excluded?.(path) === true) continue;
    if (kind === "file") walkState.out.files.push({ file: childShown, explicit: false });
    else walkState.out.skipped.push({ file: childShown, why: kind });
  }
}

/** Walks `dir` (shown as `shown`), adding the files `accept` takes. */
async function walkFrom(
  dir: string,
  shown: string,
  accept: Walk["accept"],
  options: SelectOptions,
  out: Selection,
): Promise<void> {
  const absolute = resolve(options.cwd ?? process.cwd(), dir);
  // A directory named on purpose is read even when git ignores it; what is below it still obeys .gitignore.
  const above = await ancestorLayers(absolute);
  const layers = ignoredBy(above, absolute, true) ? [] : above;
  await walk({ accept, excluded: options.excluded, seen: new Set(), out }, absolute, shown, "", layers);
}

const hasDocumentExtension = (_rel: string, name: string) =>
  DOCUMENT_EXTENSIONS.some((e) => name.endsWith(e));

/** Whether an argument is a glob for the tool to expand (and not a file that happens to exist). */
export function isGlob(arg: string): boolean {
  return picomatch.scan(arg).isGlob;
}

/** Expands one glob, relative to `cwd`, into the files it matches (walking only below its static base). */
export async function expandGlob(pattern: string, options: SelectOptions, out: Selection): Promise<number> {
  const scan = picomatch.scan(pattern);
  const base = scan.base === "" ? "." : scan.base;
  const match = picomatch(scan.glob, { dot: options.dot === true });
  const before = out.files.length;
  const cwd = options.cwd ?? process.cwd();
  if (!(await exists(resolve(cwd, base)))) return 0;
  const shownBase = options.cwd === undefined ? base : shownPath(resolve(cwd, base));
  await walkFrom(resolve(cwd, base), shownBase, (rel) => match(rel), options, out);
  return out.files.length - before;
}

/** A path for messages: relative to the working directory when below it, else absolute. */
export function shownPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  if (rel === "") return ".";
  return rel.startsWith("..") || isAbsolute(rel) ? absolute : rel;
}

async function isDirectoryPath(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The files of a run from its command-line arguments: `-` (stdin) and files as given (explicit), directories
 * walked, globs expanded (both found, not explicit). Each file once, in argument order.
 */
export async function selectInputs(args: readonly string[], options: SelectOptions = {}): Promise<Selection> {
  const out: Selection = { files: [], skipped: [] };
  for (const arg of args) {
    if (arg === "-") {
      out.files.push({ file: arg, explicit: true });
    } else if (await isDirectoryPath(arg)) {
      const before = out.files.length + out.skipped.length;
      await walkFrom(arg, arg, hasDocumentExtension, options, out);
      if (out.files.length + out.skipped.length === before) {
        throw new UsageError(
          `${arg}: no ${DOCUMENT_EXTENSIONS.join(", ")} files in this directory or below (node_modules, .git, cdk.out and git-ignored files are not searched)`,
        );
      }
    } else if (isGlob(arg) && !(await exists(arg))) {
      if ((await expandGlob(arg, options, out)) === 0) {
        throw new UsageError(
          `'${arg}' matches no files (node_modules, .git, cdk.out and git-ignored files are not searched)`,
        );
      }
    } else if (options.excluded?.(arg) === true) {
      out.skipped.push({ file: arg, why: "excluded by the config" });
    } else {
      out.files.push({ file: arg, explicit: true });
    }
  }
  return { files: unique(out.files), skipped: out.skipped };
}

/** Each file once (a glob and a directory may both reach it); the first mention decides whether it was named. */
function unique(files: readonly Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  const out: Candidate[] = [];
  for (const c of files) {
    if (c.file === "-") {
      out.push(c);
      continue;
    }
    const key = resolve(c.file);
    const earlier = seen.get(key);
    if (earlier !== undefined) continue;
    seen.set(key, c);
    out.push(c);
  }
  return out;
}

/** The config's `include` globs, relative to its directory, as a run's files. */
export async function selectIncluded(
  include: readonly string[],
  directory: string,
  options: SelectOptions,
): Promise<Selection> {
  const out: Selection = { files: [], skipped: [] };
  for (const pattern of include) await expandGlob(pattern, { ...options, cwd: directory, dot: true }, out);
  return { files: unique(out.files), skipped: out.skipped };
}
