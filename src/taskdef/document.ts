/**
 * Format detection and the typed view over the raw tree (see model.ts). The text is kept as read, so
 * `serialize` of an unedited document is byte-identical by construction; edits go through `edit.ts`.
 */
import { toCamel, toPascal, USER_MAP_KEYS } from "./casing.js";
import { findExcessiveNesting, MAX_NESTING_DEPTH } from "./depth.js";
import { census, type DuplicateKey, findDuplicateKeys } from "./duplicates.js";
import { TaskDefError } from "./errors.js";
import { unsupportedFormat } from "./formats.js";
import { parseTerraform, terraformFromJson } from "./hcl/index.js";
import { JsonLocator } from "./locate-json.js";
import type {
  DocumentFormat,
  DuplicateKeyView,
  JsonPath,
  ServiceView,
  SourceLocation,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "./model.js";
import { LazyLines, type Spans, TreeSpans } from "./positions.js";
import { type LineIndex, parseJsonTree, parseYamlTree, tooDeep } from "./raw.js";
import { isObj, type Obj, plain } from "./template-view.js";
import { Builder, type Built, EXPECTED_DOCUMENT } from "./view-builder.js";

export { EXPECTED_DOCUMENT, plain };

const FORMAT_LABELS: Readonly<Record<DocumentFormat, string>> = {
  "ecs-json": "ECS RegisterTaskDefinition JSON",
  "describe-task-definition": "ECS describe-task-definition output (JSON)",
  "container-definitions": "containerDefinitions array (Terraform container_definitions)",
  "cloudformation-json": "CloudFormation template (JSON)",
  "cloudformation-yaml": "CloudFormation template (YAML)",
  "ecs-yaml": "ECS task definition (YAML)",
  "terraform-hcl": "Terraform configuration (HCL)",
  "terraform-json": "Terraform configuration (JSON syntax, .tf.json)",
  "terraform-plan": "Terraform plan or state (terraform show -json)",
};

export function describeFormat(format: DocumentFormat): string {
  return FORMAT_LABELS[format];
}

/** Whether the document is YAML text (edits then go through the YAML editor). */
export function isYamlFormat(format: DocumentFormat): boolean {
  return format === "cloudformation-yaml" || format === "ecs-yaml";
}

export function isTemplateFormat(format: DocumentFormat): boolean {
  return format === "cloudformation-json" || format === "cloudformation-yaml";
}

/** Whether the text is JSON (else YAML): JSON documents start with `{` or `[`. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfeff || c === 32 || c === 9 || c === 10 || c === 13) continue;
    return c === 123 || c === 91;
  }
  return false;
}

/** JSON.parse's own position for input jsonc-parser accepted (they should agree; this is the fallback). */
function jsonParseFailure(file: string, lines: LineIndex, cause: unknown): TaskDefError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const at = /position (\d+)/.exec(message);
  const { line, column } = lines.position(at?.[1] === undefined ? 0 : Number(at[1]));
  return new TaskDefError({ kind: "syntax", file, line, column, detail: message, cause });
}

/**
 * The largest document `parseDocument` and `loadDocument` read unless told otherwise: 16 MiB. A task definition
 * registers at 64 KiB at most and a CloudFormation template at 1 MB, so anything near the cap is not one, and a
 * cap keeps a stray dump or `/dev/zero` from taking the heap.
 */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export interface ParseOptions {
  /** Refuse a text of more UTF-8 bytes than this (`TaskDefError` kind `too-large`). @default DEFAULT_MAX_BYTES */
  readonly maxBytes?: number;
}

/** A size in words: `16 MiB`, `200.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

export function tooLarge(file: string, size: number | undefined, maxBytes: number): TaskDefError {
  return new TaskDefError({
    kind: "too-large",
    file,
    detail: `${size === undefined ? "" : `${formatBytes(size)}, `}larger than the ${formatBytes(maxBytes)} limit for one document (a task definition is at most 64 KiB, a CloudFormation template 1 MB); raise the limit (--max-size) to read it anyway`,
  });
}

function checkSize(text: string, file: string, maxBytes: number): void {
  // UTF-16 length never exceeds the UTF-8 byte count, so only a text near the cap needs counting.
  if (text.length > maxBytes) throw tooLarge(file, Buffer.byteLength(text), maxBytes);
  if (text.length * 3 > maxBytes) {
    const size = Buffer.byteLength(text);
    if (size > maxBytes) throw tooLarge(file, size, maxBytes);
  }
}

/**
 * Parse a task-definition document (any format of `DocumentFormat`). Every failure is a located `TaskDefError`:
 * a syntax error, a document that is no task definition, a format we do not read, or a limit (size, nesting
 * depth, YAML alias expansion) it goes past.
 */
export function parseDocument(
  text: string,
  file: string,
  options: ParseOptions = {},
): TaskDefinitionDocument {
  return parseDocumentData(text, file, options).doc;
}

/** `parseDocument`, with the plain data it read (JSON.parse's result; YAML with intrinsics in long form). */
export function parseDocumentData(
  text: string,
  file: string,
  options: ParseOptions = {},
): { doc: TaskDefinitionDocument; data: unknown } {
  checkSize(text, file, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const terraform = parseTerraform(text, file);
  if (terraform !== undefined) return { doc: terraform, data: undefined };
  // A `.yaml` file in flow style may start with `{`: the name decides there.
  const json = looksLikeJson(text) && !/\.ya?ml$/i.test(file);
  const lines = new LazyLines(text);
  try {
    return parseKnown(text, file, json, lines);
  } catch (e) {
    if (e instanceof TaskDefError && (e.kind === "syntax" || e.kind === "not-a-task-definition")) {
      const unsupported = unsupportedFormat(text, file, json, e, lines.get());
      if (unsupported !== undefined) throw unsupported;
    }
    throw e;
  }
}

/** JSON.parse, and the located error (depth first, then the syntax error's position) when it refuses the text. */
function parseJson(source: string, file: string, lines: LazyLines): unknown {
  try {
    return JSON.parse(source);
  } catch (cause) {
    // The error-position parser recurses per level: measure the depth first, without recursion.
    const deep = findExcessiveNesting(source, MAX_NESTING_DEPTH);
    if (deep !== undefined) throw tooDeep(file, lines.get(), deep.offset, MAX_NESTING_DEPTH);
    parseJsonTree(source, file, lines.get());
    throw jsonParseFailure(file, lines.get(), cause);
  }
}

function parseKnown(
  text: string,
  file: string,
  json: boolean,
  lines: LazyLines,
): { doc: TaskDefinitionDocument; data: unknown } {
  // A BOM is not JSON; blank it out (same length, so offsets stay true).
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  let data: unknown;
  let spans: Spans;
  let duplicates: DuplicateKey[] = [];
  if (json) {
    data = parseJson(source, file, lines);
    // JSON.parse itself is iterative, but what reads the data after it is not: refuse deep data here.
    const counted = census(source, data, MAX_NESTING_DEPTH);
    if (counted.tooDeep) {
      const deep = findExcessiveNesting(source, MAX_NESTING_DEPTH);
      throw tooDeep(file, lines.get(), deep?.offset ?? 0, MAX_NESTING_DEPTH);
    }
    const terraformJson = terraformFromJson(text, file, data);
    if (terraformJson !== undefined) return { doc: terraformJson, data };
    if (counted.mayHaveDuplicates) duplicates = findDuplicateKeys(source);
    // One locator keeps what it read: a document's lookups (a linted file's findings, fix's notes on 500 services
    // of a template) cost about one pass over the text in all, and only as far into it as they reach.
    spans = new JsonLocator(source, duplicates.length > 0, counted.depth);
  } else {
    const tree = parseYamlTree(source, file, lines.get(), { maxDepth: MAX_NESTING_DEPTH });
    data = plain(tree);
    spans = new TreeSpans(tree);
  }
  const template = isObj(data) && isObj(data.Resources);
  const built = new Builder(file, spans, lines, template).build(data, json);
  const duplicateKeys = duplicates.map((d) => ({
    path: d.path,
    occurrences: d.offsets.map((offset) => {
      const { line, column } = lines.position(offset);
      return { file, line, column, offset, length: 0 };
    }),
  }));
  const doc = new LoadedDocument(file, text, built, duplicateKeys, spans, lines, template ? data : undefined);
  return { doc, data };
}

/**
 * The loaded document. A class rather than an object of closures: loading is hot (`check` loads every file), and
 * its methods then cost nothing until a finding asks where it is.
 */
class LoadedDocument implements TaskDefinitionDocument {
  readonly format: DocumentFormat;
  readonly taskDefinitions: TaskDefinitionView[];
  readonly services: ServiceView[];

  constructor(
    readonly file: string,
    readonly text: string,
    built: Built,
    readonly duplicateKeys: readonly DuplicateKeyView[],
    private readonly spans: Spans,
    private readonly lines: LazyLines,
    /** The template's plain data (raw keys for `rawPath`); `undefined` for other documents. */
    private readonly templateData: unknown,
  ) {
    this.format = built.format;
    this.taskDefinitions = built.taskDefinitions;
    this.services = built.services;
  }

  /** A repeated lookup (rules often report several findings on one node) is answered from what the locator kept. */
  locate(path: JsonPath): SourceLocation {
    const { offset, length } = this.spans.locate(path);
    const { line, column } = this.lines.position(offset);
    return { file: this.file, line, column, offset, length };
  }

  rawPath(td: TaskDefinitionView, viewPath: JsonPath): JsonPath {
    if (this.templateData === undefined) {
      if (td.containersKey === null) {
        return viewPath[0] === "containerDefinitions" ? viewPath.slice(1) : [...viewPath];
      }
      return [...td.path, ...viewPath];
    }
    return templateRawPath(this.templateData, td.path, viewPath);
  }
}

/** A camelCase view path in a template → the keys as the template spells them (PascalCase, user maps as is). */
function templateRawPath(data: unknown, tdPath: JsonPath, viewPath: JsonPath): JsonPath {
  const out: Array<string | number> = [...tdPath];
  let node: unknown = data;
  for (const seg of tdPath) node = step(node, seg);
  let userMap = false;
  for (const seg of viewPath) {
    if (typeof seg === "number") {
      out.push(seg);
      node = Array.isArray(node) ? node[seg] : undefined;
      continue;
    }
    let rawKey: string | undefined;
    if (isObj(node)) {
      for (const k in node) {
        if (Object.hasOwn(node, k) && (userMap ? k === seg : toCamel(k) === seg)) rawKey = k;
      }
    }
    if (rawKey === undefined) {
      rawKey = userMap ? seg : toPascal(seg);
      node = undefined;
    } else {
      node = (node as Obj)[rawKey];
    }
    out.push(rawKey);
    userMap = !userMap && USER_MAP_KEYS.has(seg);
  }
  return out;
}

function step(node: unknown, seg: string | number): unknown {
  if (typeof seg === "number") return Array.isArray(node) ? node[seg] : undefined;
  return isObj(node) && Object.hasOwn(node, seg) ? node[seg] : undefined;
}

export function serialize(doc: TaskDefinitionDocument): string {
  return doc.text;
}
