/** Where a command's results go: stdout or `-o file`, stderr for notes; escaped for terminals, errors located. */
import { stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ioReason, OutputError } from "./errors.js";
import type { FileIdentity } from "./input.js";
import { escapeControls } from "./terminal.js";

/** An output stream as the CLI uses it: written to, and asked whether it is a terminal (and how wide). */
export type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * Everything a run of the CLI takes from its process: the three streams, the environment and the working
 * directory. The bin passes the process's own (`processStreams()`); tests and embedders pass their own, so a
 * command runs in process and its output is read back without spawning Node. Nothing under `src/cli/` reads
 * `process.stdout`, `process.env` or `process.cwd()` directly: they come from here.
 */
export interface Streams {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where config files are looked for and globs start; relative paths are reported relative to it. */
  readonly cwd: string;
}

/** The process's own streams, environment and working directory, read when called. */
export function processStreams(): Streams {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colors only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(
  stream: { isTTY?: boolean },
  flag: boolean | undefined,
  env: Streams["env"],
): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

function withNewline(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}

/** A line for stderr (notes, progress, what `fix` changed): text from documents is escaped. */
export function note(streams: Streams, text: string, color = false): void {
  streams.stderr.write(withNewline(escapeControls(text, color)));
}

/** Writes `text` to a file named by `-o`/`--report`; failures are an `OutputError` with the path and reason. */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = code === "ENOENT" ? `directory ${dirname(path)} does not exist` : ioReason(error);
    throw new OutputError(path, reason, { cause: error });
  }
}

export interface EmitOptions {
  /** `-o`: a file instead of stdout (`-` or undefined: stdout). */
  readonly output?: string;
  /**
   * The result is text for people (not JSON, SARIF or a document), so control characters from documents are
   * escaped; colors survive only when `color` is set.
   */
  readonly text: boolean;
  readonly color?: boolean;
}

/** Writes a command's result to stdout or the `-o` file. */
export async function emit(result: string, options: EmitOptions, streams: Streams): Promise<void> {
  const body = withNewline(options.text ? escapeControls(result, options.color === true) : result);
  if (options.output === undefined || options.output === "-") streams.stdout.write(body);
  else await writeOutputFile(options.output, body);
}

/**
 * Refuses an output path that names a file the command reads (`lint a.json -o a.json` would replace the task
 * definition with its report). Compared by device and inode, so other spellings and links are caught too.
 */
export async function refuseInputAsOutput(
  flag: string,
  output: string | undefined,
  inputs: readonly FileIdentity[],
  hint?: string,
): Promise<void> {
  if (output === undefined || output === "-") return;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(output);
  } catch {
    return; // Not there yet, so not an input; writing will say if the path is bad.
  }
  if (inputs.some((i) => i.dev === info.dev && i.ino === info.ino)) {
    const why = `it is one of the inputs (${flag} would replace what was read)`;
    throw new OutputError(output, hint === undefined ? why : `${why}; ${hint}`);
  }
}
