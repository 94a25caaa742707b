/** The task-definition core: load any supported document, view it in the API's camelCase, write it back. */
import { type ParseOptions, parseDocument } from "./document.js";
import { TaskDefError } from "./errors.js";
import { HclParserMissingError, loadHclParser, needsHclParser } from "./hcl/index.js";
import type { TaskDefinitionDocument } from "./model.js";
import { readSource } from "./source.js";

export {
  circuitBreakerApplies,
  type DeploymentControllerType,
  deploymentControllerOf,
  ROLLING_CONTROLLER,
} from "./deployment-controller.js";
export { findExcessiveNesting, MAX_NESTING_DEPTH } from "./depth.js";
export {
  DEFAULT_MAX_BYTES,
  describeFormat,
  EXPECTED_DOCUMENT,
  type ParseOptions,
  parseDocument,
  serialize,
} from "./document.js";
export { TaskDefError, type TaskDefErrorKind } from "./errors.js";
export { HclParserMissingError, loadHclParser, unreadableContainerLists } from "./hcl/index.js";
export { toJsonPath } from "./json-path.js";
export * from "./model.js";
export { JSON_ERRORS, LineIndex, MAX_ALIAS_NODES } from "./raw.js";
export { type ReadSourceOptions, readSource, type Source } from "./source.js";
export { intrinsic, isIntrinsic, literal } from "./values.js";

/**
 * Read a file (or stdin for `-`, shown as `<stdin>`) and parse it. I/O failures are `TaskDefError` kind `io`;
 * `maxBytes` caps both the read and the parse (kind `too-large`).
 */
export async function loadDocument(
  pathOrDash: string,
  options: ParseOptions = {},
): Promise<TaskDefinitionDocument> {
  const { file, text } = await readSource(pathOrDash, options);
  return parseText(text, file, options);
}

/** `parseDocument` for text already read: loads the HCL parser first when the text is Terraform. */
export async function parseText(
  text: string,
  file: string,
  options: ParseOptions = {},
): Promise<TaskDefinitionDocument> {
  // Terraform needs the HCL parser (WebAssembly), loaded only now that a Terraform file is read.
  if (needsHclParser(text, file)) {
    try {
      await loadHclParser();
    } catch (error) {
      if (!(error instanceof HclParserMissingError)) throw error;
      throw new TaskDefError({ kind: "unsupported-format", file, detail: error.message, cause: error });
    }
  }
  return parseDocument(text, file, options);
}

export { toCamel, toPascal } from "./casing.js";
export { isTemplateFormat, isYamlFormat } from "./document.js";
export { DocumentEditor, detectLayout, inDocumentCasing, type Layout, toJsonData } from "./edit.js";
