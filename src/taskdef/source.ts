/** Reading what the user named: a file, or stdin for `-`. Shared by every loader so their I/O errors read alike. */
import { open } from "node:fs/promises";
import { DEFAULT_MAX_BYTES, tooLarge } from "./document.js";
import { TaskDefError } from "./errors.js";

export interface Source {
  /** Display name: the path as given, or `<stdin>`. */
  readonly file: string;
  readonly text: string;
}

export interface ReadSourceOptions {
  /**
   * Refuse input of more bytes than this (`TaskDefError` kind `too-large`), before reading it when the file says
   * its size, else as soon as that many bytes came in (a pipe, `/dev/zero`). @default DEFAULT_MAX_BYTES
   */
  readonly maxBytes?: number;
}

/** Reads a file, or stdin for `-`. I/O failures are `TaskDefError` kind `io`, with the reason in words. */
export async function readSource(pathOrDash: string, options: ReadSourceOptions = {}): Promise<Source> {
  const file = pathOrDash === "-" ? "<stdin>" : pathOrDash;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const bytes =
      pathOrDash === "-" ? await readStdin(file, maxBytes) : await readCapped(pathOrDash, maxBytes);
    return { file, text: bytes.toString("utf8") };
  } catch (cause) {
    if (cause instanceof TaskDefError) throw cause;
    const code = (cause as { code?: unknown }).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : cause instanceof Error
              ? cause.message
              : String(cause);
    throw new TaskDefError({ kind: "io", file, detail: `cannot read: ${reason}`, cause });
  }
}

const CHUNK = 1 << 16;

async function readCapped(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(
        info.isFile() ? Math.min(Math.max(info.size - total, 1), CHUNK * 16) : CHUNK,
      );
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, info.isFile() ? total : undefined, maxBytes);
      chunks.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

async function readStdin(file: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > maxBytes) throw tooLarge(file, undefined, maxBytes);
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}
