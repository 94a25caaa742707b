/**
 * The reader's state while one input is checked: where each JSON path is in the text, and the notes about
 * values it left out. Errors and notes carry file, line, column and the JSON path of the value.
 */
import { findNodeAtLocation, type Node } from "jsonc-parser";
import { maskSecretsInFreeText, printable } from "../model/index.js";
import { LineIndex, toJsonPath } from "../taskdef/index.js";
import { DiagnoseInputError } from "./errors.js";
import type { InputNote } from "./types.js";

export type Path = ReadonlyArray<string | number>;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A property the document itself holds. `jsonc-parser` builds values by assignment, so a `"__proto__"` key
 * becomes the object's prototype, and a plain `v.taskArn` would read through it.
 */
export function own(v: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(v, key) ? v[key] : undefined;
}

/** `a string`, `an object with keys "a", "b"`: a value described without printing it whole. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    const keys = Object.keys(v as object);
    if (keys.length === 0) return "an empty object";
    const shown = keys.slice(0, 5).map((k) => quoteShort(k));
    return `an object with keys ${shown.join(", ")}${keys.length > 5 ? ", …" : ""}`;
  }
  return `a ${typeof v}`;
}

/** A string or number as JSON, cut to a readable length, what looks secret masked, controls escaped. */
export function quoteShort(v: string | number): string {
  const json = JSON.stringify(typeof v === "string" ? maskSecretsInFreeText(v) : v);
  return printable(json.length > 60 ? `${json.slice(0, 56)}…"` : json);
}

export class Reader {
  readonly notes: InputNote[] = [];
  private readonly lines: LineIndex;

  constructor(
    readonly text: string,
    readonly file: string,
    private readonly root: Node,
  ) {
    this.lines = new LineIndex(text);
  }

  /** Line and column of the value at `path`, or of its nearest ancestor that exists. */
  private locate(path: Path): { line: number; column: number } {
    let node: Node | undefined;
    for (let n = path.length; n >= 0 && node === undefined; n--) {
      node = findNodeAtLocation(this.root, path.slice(0, n) as Array<string | number>);
    }
    return this.lines.position(node?.offset ?? 0);
  }

  fail(path: Path, detail: string, expected?: string): never {
    throw new DiagnoseInputError({
      inputKind: "unexpected-shape",
      file: this.file,
      detail,
      jsonPath: printable(toJsonPath(path)),
      expected,
      ...this.locate(path),
    });
  }

  /** Record a value diagnose can do without, and why it was left out. */
  note(path: Path, detail: string): void {
    const at = this.locate(path);
    const jsonPath = printable(toJsonPath(path));
    this.notes.push({
      file: this.file,
      ...at,
      jsonPath,
      detail,
      message: `${this.file}:${at.line}:${at.column}: ${detail} (at ${jsonPath})`,
    });
  }
}
