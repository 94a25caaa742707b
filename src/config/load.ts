/**
 * Reading a config file: JSON or YAML text (JSON is read by the YAML parser too, which keeps every node's
 * position), validated by the schema. Every error names the file, line, column and the key.
 */
import * as v from "valibot";
import type { Node } from "yaml";
import { yamlLib } from "../yaml-lib.js";
import { ConfigSchema, type ProjectConfig } from "./schema.js";

/** A config file that cannot be used: the message is complete and located (`file:line:column: key: what`). */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** Dotted path of the offending key (`suppress[0].reason`), empty for the file itself. */
    readonly key: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${key === "" ? "" : `${key}: `}${detail}`);
  }
}

/** Aliases a config file may use; a handful is plenty, thousands are an attack (YAML "billion laughs"). */
const MAX_ALIASES = 100;

export type Segment = string | number;

/** The node at `path`; with `keyItself`, the key of the last step rather than its value. */
function nodeAt(root: Node | null, path: readonly Segment[], keyItself: boolean): Node | null {
  const { isMap, isScalar, isSeq } = yamlLib();
  let node: Node | null = root;
  for (const [i, seg] of path.entries()) {
    if (node === null) return null;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return node;
      if (keyItself && i === path.length - 1) return pair.key as Node;
      const next = pair.value;
      node = next === null || next === undefined ? (pair.key as Node) : (next as Node);
    } else if (isSeq(node) && typeof seg === "number") {
      const next = node.items[seg];
      if (next === undefined || next === null) return node;
      node = next as Node;
    } else {
      return node;
    }
  }
  return node;
}

function dotted(path: readonly Segment[]): string {
  return path.reduce<string>(
    (out, seg) => (typeof seg === "number" ? `${out}[${seg}]` : out === "" ? seg : `${out}.${seg}`),
    "",
  );
}

/** Where a key of a config text is written (1-based), for messages about a valid entry (an unused suppression). */
export function locateKey(
  text: string,
  path: readonly Segment[],
): { line: number; column: number; offset: number; length: number } {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const range = nodeAt(doc.contents, path, false)?.range;
  const offset = range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, column: col, offset, length: Math.max(0, (range?.[1] ?? offset) - offset) };
}

/**
 * Validate config data found at `base` inside a parsed document (the whole document, or the `"firelens-preflight"`
 * key of package.json).
 */
export function parseConfigText(text: string, file: string, base: readonly Segment[] = []): ProjectConfig {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => lines.linePos(offset);
  const first = doc.errors[0];
  if (first !== undefined) {
    const { line, col } = position(first.pos[0]);
    throw new ConfigFileError(file, line, col, "", first.message.split("\n")[0] ?? "cannot be read");
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new ConfigFileError(
      file,
      1,
      1,
      "",
      `cannot be read: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  for (const seg of base) data = (data as Record<string, unknown> | undefined)?.[String(seg)];
  const result = v.safeParse(ConfigSchema, data ?? {});
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = [...base, ...(issue.path ?? []).map((p) => p.key as Segment)];
  const unknownKey = issue.path?.at(-1)?.origin === "key";
  const node = nodeAt(doc.contents, path, unknownKey);
  const { line, col } = position(node?.range?.[0] ?? 0);
  const detail = unknownKey
    ? "is not a config key (see README, Config file)"
    : issue.message.startsWith("Invalid") && issue.expected !== null
      ? `expected ${issue.expected}, got ${issue.received}`
      : `expected ${issue.message}`;
  throw new ConfigFileError(file, line, col, dotted(path.slice(base.length)), detail);
}
