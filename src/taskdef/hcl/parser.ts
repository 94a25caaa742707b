/**
 * The HCL parser: tree-sitter's Terraform grammar (`@tree-sitter-grammars/tree-sitter-hcl`, Apache-2.0) run
 * by `web-tree-sitter` (MIT). Both are WebAssembly, so nothing is compiled at install time; the grammar's
 * `.wasm` comes from the npm package. Loading costs tens of milliseconds, so it happens only when a
 * Terraform file is read: `check` on JSON files never pays for it. It is loaded with `require` (the package
 * ships CommonJS too), which works the same from the CLI's CommonJS bundle and the library's ESM build. The
 * two packages weigh
 * some 7 MB, more than the rest of the CLI's install, so they are optional peer dependencies: a project that
 * reads `.tf` files installs them, and one that does not is told how.
 *
 * The tree is copied once into plain objects (`Syn`) while the WebAssembly tree is alive, so the rest of
 * the reader works on ordinary JavaScript data and the native tree is freed at once.
 */
import { createRequire } from "node:module";
import type { TreeCursor, Parser as TsParser } from "web-tree-sitter";

/** One syntax node: tree-sitter type, UTF-16 offsets into the text (what JavaScript strings index by). */
export interface Syn {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly named: boolean;
  readonly kids: readonly Syn[];
  /** Set on `ERROR` nodes and on nodes the parser inserted to recover (`MISSING`). */
  readonly error?: "error" | "missing";
}

let loading: Promise<TsParser> | undefined;
let ready: TsParser | undefined;

/** The optional packages `.tf` files need, as an `npm install` line names them. */
export const HCL_PACKAGES = [
  "web-tree-sitter@^0.27.2",
  "@tree-sitter-grammars/tree-sitter-hcl@^1.2.0",
] as const;

/** Raised when the optional HCL packages are not installed. */
export class HclParserMissingError extends Error {
  override readonly name = "HclParserMissingError";
  constructor(cause: unknown) {
    super(
      `reading Terraform .tf files needs two optional packages: npm install --save-dev ${HCL_PACKAGES.join(" ")}`,
      { cause },
    );
  }
}

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/** Load the parser (once per process). Rejects with `HclParserMissingError` when its packages are missing. */
export function loadHclParser(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    let wasm: string;
    let tree: typeof import("web-tree-sitter");
    try {
      tree = require("web-tree-sitter") as typeof import("web-tree-sitter");
      wasm = require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm");
    } catch (error) {
      loading = undefined;
      if (isMissingModule(error)) throw new HclParserMissingError(error);
      throw error;
    }
    const { Parser, Language } = tree;
    await Parser.init();
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    ready = parser;
    return parser;
  })();
  return loading.then(() => undefined);
}

/** Whether `loadHclParser` has finished: synchronous parsing is possible from then on. */
export function hclParserLoaded(): boolean {
  return ready !== undefined;
}

/** Parse HCL text into a `Syn` tree. Throws a plain `Error` when `loadHclParser` has not finished. */
export function parseHclSyntax(text: string): Syn {
  const parser = ready;
  if (parser === undefined) {
    throw new Error(
      "Terraform files need the HCL parser: await loadHclParser() (or use loadDocument) before parseDocument",
    );
  }
  const tree = parser.parse(text);
  if (tree === null) throw new Error("the HCL parser returned no tree");
  try {
    const cursor = tree.walk();
    try {
      return copy(cursor);
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

/** Depth-first copy through a cursor: one crossing into WebAssembly per step, no node objects. */
function copy(cursor: TreeCursor): Syn {
  const type = cursor.nodeType;
  const start = cursor.startIndex;
  const end = cursor.endIndex;
  const named = cursor.nodeIsNamed;
  const missing = cursor.nodeIsMissing;
  const kids: Syn[] = [];
  if (cursor.gotoFirstChild()) {
    do kids.push(copy(cursor));
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  const error = type === "ERROR" ? "error" : missing ? "missing" : undefined;
  return error === undefined ? { type, start, end, named, kids } : { type, start, end, named, kids, error };
}

/** The first parse error (an `ERROR` node or a recovered `MISSING` token), depth first. */
export function firstSyntaxError(node: Syn): Syn | undefined {
  if (node.error !== undefined) return node;
  for (const k of node.kids) {
    const hit = firstSyntaxError(k);
    if (hit !== undefined) return hit;
  }
  return undefined;
}
