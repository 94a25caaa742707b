/**
 * Minimal, lossless text edits addressed by raw path, applied in batches. The edits queued since the last read of
 * `text` are resolved against one reading of the text, turned into splices (insertions and replacements at
 * offsets of that text), and applied in one pass; nothing outside a splice changes, byte for byte.
 *
 * This is the facade: it queues edits, hands each batch to the planner of the document's syntax (edit-json.ts,
 * edit-yaml.ts; Terraform's own editor in hcl/edit.ts), applies the splices and checks after re-reading that
 * every value landed.
 */
import { pascalize } from "./casing.js";
import { isTemplateFormat, isYamlFormat, parseDocument, parseDocumentData } from "./document.js";
import { planJson } from "./edit-json.js";
import { type Landed, type Splice, type TextEdit, toJsonData } from "./edit-plan.js";
import { planYaml } from "./edit-yaml.js";
import { editTerraform } from "./hcl/edit.js";
import type { DocumentFormat, JsonPath, TaskDefinitionDocument } from "./model.js";

// The editor's public face: the layout it follows and the JSON form it writes are exported from here.
export { detectLayout, type Layout } from "./edit-layout.js";
export { type TextEdit, toJsonData } from "./edit-plan.js";

/** A camelCase (API-shaped) value in the document's own casing: PascalCase in templates, user maps kept. */
export function inDocumentCasing(format: DocumentFormat, value: unknown): unknown {
  return isTemplateFormat(format) ? pascalize(value) : value;
}

/**
 * Applies edits to a document's text. Paths and values are raw (as spelled in the file: use `doc.rawPath` and
 * `inDocumentCasing`). Edits are queued and applied together, from one reading of the text, when `text` or
 * `document()` is read; a later batch sees the text the earlier one left. An edit the text cannot take (missing
 * parent, wrong node type, two edits of one node) throws a plain `Error`: that is a bug in the caller.
 */
export class DocumentEditor {
  private current: string;
  private pending: TextEdit[] = [];
  private landed: Landed[] = [];
  readonly file: string;
  private readonly json: boolean;
  private readonly terraform: boolean;

  constructor(doc: TaskDefinitionDocument) {
    this.current = doc.text;
    this.file = doc.file;
    this.json = !isYamlFormat(doc.format);
    this.terraform = doc.format === "terraform-hcl";
    // A plan is Terraform's output and `.tf.json` keeps definitions in strings: neither is edited here.
    if (doc.format === "terraform-plan" || doc.format === "terraform-json") {
      throw new Error(`${doc.file}: ${doc.format} documents are read, not edited`);
    }
  }

  get text(): string {
    this.flush();
    return this.current;
  }

  /** Whether any edit changed the text. */
  changed(original: string): boolean {
    return this.text !== original;
  }

  /** Set a property (inserted after the object's last one when new) or replace an array element. */
  set(path: JsonPath, value: unknown): this {
    if (path.length === 0) throw new Error("cannot replace the whole document");
    this.pending.push({ op: "set", path, value });
    return this;
  }

  /** Append an item to the array at `path`. */
  append(path: JsonPath, value: unknown): this {
    this.pending.push({ op: "append", path, value });
    return this;
  }

  /** Queue several edits, in order. */
  apply(edits: readonly TextEdit[]): this {
    for (const e of edits) {
      if (e.op === "set") this.set(e.path, e.value);
      else this.append(e.path, e.value);
    }
    return this;
  }

  /**
   * Re-read the edited text once and check that every edit landed: a `TaskDefError` means an edit produced an
   * invalid document, a plain `Error` that a value is not where it was written. Both are bugs in the editor.
   */
  document(): TaskDefinitionDocument {
    this.flush();
    if (this.terraform) return parseDocument(this.current, this.file, { maxBytes: Number.POSITIVE_INFINITY });
    // The input passed the size cap; what the edits added must not make its own output unreadable.
    const { doc, data } = parseDocumentData(this.current, this.file, { maxBytes: Number.POSITIVE_INFINITY });
    for (const l of this.landed) {
      const found = at(data, l.path);
      if (!found.exists || !sameData(found.value, toJsonData(l.value))) {
        throw new Error(
          `edit at ${JSON.stringify(l.path)} did not land: expected ${JSON.stringify(toJsonData(l.value))}, read ${found.exists ? JSON.stringify(found.value) : "nothing"}`,
        );
      }
    }
    return doc;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const edits = this.pending;
    this.pending = [];
    if (this.terraform) {
      // The HCL editor maps one raw path at a time into the HCL tree; its edits are checked by the re-read.
      for (const e of edits) this.current = editTerraform(this.current, this.file, e.op, e.path, e.value);
      return;
    }
    const planned = this.json ? planJson(this.current, edits) : planYaml(this.current, edits);
    this.current = applySplices(this.current, planned.splices);
    // A later edit of the same node (or inside it) supersedes what an earlier batch wrote there. Within one batch
    // no two edits touch the same node (the splices would overlap), so only earlier batches need the check.
    const earlier = this.landed.filter(
      (old) => !planned.landed.some((l) => isPrefix(old.path, l.path) || isPrefix(l.path, old.path)),
    );
    this.landed = [...earlier, ...planned.landed];
  }
}

function isPrefix(a: JsonPath, b: JsonPath): boolean {
  return a.length <= b.length && a.every((seg, i) => seg === b[i]);
}

function at(data: unknown, path: JsonPath): { exists: boolean; value: unknown } {
  let node = data;
  for (const seg of path) {
    if (typeof seg === "number") {
      if (!Array.isArray(node) || seg >= node.length) return { exists: false, value: undefined };
      node = node[seg];
    } else {
      if (typeof node !== "object" || node === null || Array.isArray(node) || !Object.hasOwn(node, seg)) {
        return { exists: false, value: undefined };
      }
      node = (node as Record<string, unknown>)[seg];
    }
  }
  return { exists: true, value: node };
}

/** Deep equality of plain data, where a property set to `undefined` counts as absent (it is not written). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameData(v, b[i]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return b === undefined ? a === null : false;
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** Check that no two splices touch the same text, then apply them all in one pass. */
function applySplices(text: string, splices: readonly Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.at - b.at || b.depth - a.depth || a.order - b.order);
  let end = 0;
  for (const s of sorted) {
    if (s.at < end) {
      throw new Error(
        `two edits change the same text (at offset ${s.at}); edit a node or inside it, not both`,
      );
    }
    if (s.remove > 0) end = s.at + s.remove;
  }
  const parts: string[] = [];
  let pos = 0;
  let previous: Splice | undefined;
  for (const s of sorted) {
    parts.push(text.slice(pos, s.at));
    const joined =
      previous !== undefined &&
      s.joinGroup !== undefined &&
      previous.joinGroup === s.joinGroup &&
      previous.at === s.at;
    parts.push(joined ? `, ${s.insert}` : s.insert);
    pos = s.at + s.remove;
    previous = s;
  }
  parts.push(text.slice(pos));
  return parts.join("");
}
