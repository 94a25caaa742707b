/** The task-definition core: load any supported document, view it in the API's camelCase, write it back. */
import { parseDocument } from "./document.js";
import type { TaskDefinitionDocument } from "./model.js";
import { readSource } from "./source.js";

export { findExcessiveNesting, MAX_JSON_DEPTH } from "./depth.js";
export { describeFormat, EXPECTED_DOCUMENT, parseDocument, serialize } from "./document.js";
export { TaskDefError, type TaskDefErrorKind } from "./errors.js";
export * from "./model.js";
export { JSON_ERRORS, LineIndex } from "./raw.js";
export { readSource, type Source } from "./source.js";
export { intrinsic, isIntrinsic, literal } from "./values.js";

/** Read a file (or stdin for `-`, shown as `<stdin>`) and parse it. I/O failures are `TaskDefError` kind `io`. */
export async function loadDocument(pathOrDash: string): Promise<TaskDefinitionDocument> {
  const { file, text } = await readSource(pathOrDash);
  return parseDocument(text, file);
}

export { toCamel, toPascal } from "./casing.js";
export { isTemplateFormat, isYamlFormat } from "./document.js";
export { DocumentEditor, detectLayout, inDocumentCasing, type Layout, toJsonData } from "./edit.js";
