/**
 * Reading what the user named, in bounded time and memory: a regular file or a pipe (`-`, `<(…)`). Devices
 * are refused (`/dev/zero` never ends) and every input is capped at `--max-size`. Which files a directory or
 * glob contributes is `walk.ts`'s job (it skips FIFOs there: one would block forever).
 */
import { type FileHandle, open, stat } from "node:fs/promises";
import { InputError, ioReason, UsageError } from "./errors.js";

/**
 * Default input cap. CloudFormation accepts templates up to 1 MB and ECS task definitions are far smaller;
 * 16 MiB leaves room for `describe-tasks` output of many tasks while keeping a stray multi-GB file from
 * exhausting memory. `--max-size` raises it.
 */
export const DEFAULT_MAX_SIZE = 16 * 1024 * 1024;

const UNITS: Readonly<Record<string, number>> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `--max-size`: bytes, or a number with a binary unit (`512k`, `64M`, `1G`; `KiB`/`MB` spellings too). */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  const unit = UNITS[(match?.[2] ?? "").toLowerCase()];
  const bytes = match === null || unit === undefined ? Number.NaN : Math.floor(Number(match[1]) * unit);
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new UsageError(`--max-size must be a size such as 16M, 512k or 1G (got "${text}")`);
  }
  return bytes;
}

/** `16 MiB`-style size for messages. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** Identity of a file that was read, to refuse an output path that would overwrite it. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

export interface InputText {
  /** Display name: the path as given, or `<stdin>`. */
  readonly file: string;
  readonly text: string;
  /** The file's identity when it is a regular file (not stdin or a pipe). */
  readonly identity?: FileIdentity;
}

function tooLarge(file: string, maxSize: number, size?: number): InputError {
  const actual = size === undefined ? "more than" : `${formatSize(size)}, over`;
  return new InputError(
    file,
    `${actual} the ${formatSize(maxSize)} input limit; raise it with --max-size if this file is meant to be read`,
  );
}

async function readHandleCapped(handle: FileHandle, file: string, maxSize: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(1024 * 1024, maxSize + 1 - total));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxSize) throw tooLarge(file, maxSize);
    chunks.push(buffer.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

async function readStreamCapped(
  stream: NodeJS.ReadableStream,
  file: string,
  maxSize: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxSize) throw tooLarge(file, maxSize);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

/** What kind of file a stat describes, for messages. */
function kindOf(info: {
  isDirectory(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isFIFO(): boolean;
}): string {
  if (info.isDirectory()) return "a directory";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  if (info.isFIFO()) return "a FIFO";
  return "not a regular file";
}

/**
 * Reads one input named on the command line: `-` is stdin; a regular file or a pipe is read up to `maxSize`
 * bytes; a directory, device or socket is an `InputError` saying what it is.
 */
export async function readInput(
  pathOrDash: string,
  maxSize: number,
  stdin: NodeJS.ReadableStream,
): Promise<InputText> {
  if (pathOrDash === "-") return { file: "<stdin>", text: await readStreamCapped(stdin, "<stdin>", maxSize) };
  const file = pathOrDash;
  // Devices and directories are judged before opening: opening is harmless for them, but say why early.
  let before: Awaited<ReturnType<typeof stat>>;
  try {
    before = await stat(file);
  } catch (error) {
    throw new InputError(file, `cannot read: ${ioReason(error)}`);
  }
  if (!before.isFile() && !before.isFIFO()) {
    throw new InputError(file, `cannot read: ${kindOf(before)}, not a file`);
  }
  if (before.isFile() && before.size > maxSize) throw tooLarge(file, maxSize, before.size);
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new InputError(file, `cannot read: ${ioReason(error)}`);
  }
  try {
    const info = await handle.stat();
    const text = await readHandleCapped(handle, file, maxSize);
    return info.isFile() ? { file, text, identity: { dev: info.dev, ino: info.ino } } : { file, text };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, `cannot read: ${ioReason(error)}`);
  } finally {
    await handle.close();
  }
}
