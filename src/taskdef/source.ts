/** Reading what the user named: a file, or stdin for `-`. Shared by every loader so their I/O errors read alike. */
import { readFile } from "node:fs/promises";
import { TaskDefError } from "./errors.js";

export interface Source {
  /** Display name: the path as given, or `<stdin>`. */
  readonly file: string;
  readonly text: string;
}

/** Reads a file, or stdin for `-`. I/O failures are `TaskDefError` kind `io`, with the reason in words. */
export async function readSource(pathOrDash: string): Promise<Source> {
  const file = pathOrDash === "-" ? "<stdin>" : pathOrDash;
  try {
    return { file, text: pathOrDash === "-" ? await readStdin() : await readFile(pathOrDash, "utf8") };
  } catch (cause) {
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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}
