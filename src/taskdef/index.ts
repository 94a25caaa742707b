/** The task-definition core: load any supported document, view it in the API's camelCase, write it back. */
import { readFile } from "node:fs/promises";
import { parseDocument } from "./document.js";
import { TaskDefError } from "./errors.js";
import type { TaskDefinitionDocument } from "./model.js";

export { describeFormat, EXPECTED_DOCUMENT, parseDocument, serialize } from "./document.js";
export { TaskDefError, type TaskDefErrorKind } from "./errors.js";
export * from "./model.js";
export { intrinsic, isIntrinsic, literal } from "./values.js";

/** Read a file (or stdin for `-`, shown as `<stdin>`) and parse it. I/O failures are `TaskDefError` kind `io`. */
export async function loadDocument(pathOrDash: string): Promise<TaskDefinitionDocument> {
  const file = pathOrDash === "-" ? "<stdin>" : pathOrDash;
  let text: string;
  try {
    text = pathOrDash === "-" ? await readStdin() : await readFile(pathOrDash, "utf8");
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
  return parseDocument(text, file);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}

export { toCamel, toPascal } from "./casing.js";
export { isTemplateFormat, isYamlFormat } from "./document.js";
export { DocumentEditor, detectLayout, inDocumentCasing, type Layout, toJsonData } from "./edit.js";
