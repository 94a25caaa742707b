/**
 * A `.tf` task definition's `container_definitions` in its many shapes: `jsonencode()` of a literal (through
 * locals), a JSON heredoc, a JSON string or template, `file()` / `templatefile()` of a module file. Each is read
 * into a located list; what cannot be known before plan is an unknown leaf with the reason.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { TaskDefError } from "../errors.js";
import type { ContainerDefinition, ContainerView, JsonPath } from "../model.js";
import { LineIndex } from "../raw.js";
import { isIntrinsic } from "../values.js";
import type { HclAttribute } from "./blocks.js";
import {
  decodeQuoted,
  type Env,
  evaluate,
  heredocBody,
  isPlainObject,
  kids,
  quotedParts,
  textOf,
} from "./evaluate.js";
import { jsonNodes, parseJsonText, templateToJson } from "./json.js";
import { frozen, type LNode, leaf, unknownValue } from "./located.js";
import type { Syn } from "./parser.js";

export interface TerraformReadOptions {
  /** Reads a file named by `file()` / `templatefile()`. @default readFileSync(path, "utf8") */
  readonly readInclude?: (path: string) => string;
}

interface Containers {
  /** The list (items located), or an unknown leaf. */
  readonly node: LNode;
  /** Why the list is unknown, when it is. */
  readonly unknownReason?: string;
}

export class Reader {
  constructor(
    readonly env: Env,
    readonly file: string,
    readonly lines: LineIndex,
    readonly options: TerraformReadOptions,
  ) {}

  fail(at: number, detail: string, kind: "syntax" | "not-a-task-definition" | "io" = "syntax"): never {
    const { line, column } = this.lines.position(at);
    throw new TaskDefError({ kind, file: this.file, line, column, detail });
  }

  /** `container_definitions = …` → the container list. */
  containers(attr: HclAttribute): Containers {
    let expr = attr.expr;
    let via: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const parts = kids(expr);
      const head = parts[0];
      if (parts.length === 2 && head?.type === "variable_expr" && textOf(this.env, head) === "local") {
        const id = kids(parts[1] as Syn).find((k) => k.type === "identifier");
        const name = id === undefined ? undefined : textOf(this.env, id);
        const def = name === undefined ? undefined : this.env.locals.get(name);
        if (name !== undefined && def !== undefined && !seen.has(name)) {
          seen.add(name);
          via = `the list comes from local.${name}`;
          expr = def.expr;
          continue;
        }
      }
      break;
    }
    const freeze = (node: LNode) => (via === undefined ? node : frozen(node, via));
    const parts = kids(expr);
    const head = parts[0];
    if (parts.length === 1 && head?.type === "function_call") {
      const fparts = kids(head);
      const fname = textOf(this.env, fparts[0] as Syn);
      const argsSyn = fparts.find((k) => k.type === "function_arguments");
      const args = argsSyn === undefined ? [] : kids(argsSyn).filter((k) => k.type === "expression");
      if (fname === "jsonencode" && args.length === 1) {
        const node = freeze(evaluate(this.env, args[0] as Syn, via === undefined));
        return isIntrinsic(node.value)
          ? { node, unknownReason: `its list is not literal (${textOf(this.env, args[0] as Syn)})` }
          : { node };
      }
      if ((fname === "file" || fname === "templatefile") && args.length >= 1) {
        return this.include(fname, args, expr);
      }
    }
    if (parts.length === 1 && head?.type === "template_expr") {
      const t = kids(head)[0];
      if (
        t?.type === "heredoc_template" &&
        !kids(t).some((k) => k.type !== "template_literal" && !/^heredoc/.test(k.type))
      ) {
        const { raw, offsets } = heredocBody(this.env, t);
        const json = raw.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
        const exact = json.length === raw.length;
        const tree = parseJsonText(json, (line, column, detail) => {
          const i = line === undefined ? 0 : offsetOf(json, line, column ?? 1);
          return this.error(offsets[i] ?? expr.start, `container_definitions heredoc is not JSON: ${detail}`);
        });
        const fallback = { offset: expr.start, length: expr.end - expr.start };
        const node = jsonNodes(
          tree,
          exact ? (i) => offsets[Math.min(i, offsets.length - 1)] ?? expr.start : undefined,
          fallback,
          "it is JSON text in a heredoc; edit it by hand",
        );
        return { node: freeze(node) };
      }
    }
    const value = evaluate(this.env, expr, false);
    if (typeof value.value === "string") {
      return { node: freeze(this.jsonString(value.value, expr, new Map())) };
    }
    if (head?.type === "template_expr") {
      // A template with interpolations: JSON with unknown parts.
      const t = kids(head)[0] as Syn;
      const rendered = this.renderTemplateSyntax(t);
      const tj = templateToJson(rendered.text, (e) => rendered.known.get(e));
      if (tj.directive !== undefined) this.directiveError(expr.start, "this template", "");
      return { node: freeze(this.jsonString(tj.json, expr, tj.unknowns)) };
    }
    return {
      node: freeze(leaf(unknownValue(textOf(this.env, expr)), expr.start, expr.end - expr.start)),
      unknownReason: `container_definitions is not jsonencode() of a literal list (${textOf(this.env, expr)})`,
    };
  }

  error(at: number, detail: string): TaskDefError {
    const { line, column } = this.lines.position(at);
    return new TaskDefError({ kind: "syntax", file: this.file, line, column, detail });
  }

  /** JSON text whose positions are not kept: everything is located at the expression. */
  jsonString(
    json: string,
    expr: Syn,
    unknowns: ReadonlyMap<string, string>,
    what = "container_definitions",
  ): LNode {
    const tree = parseJsonText(json, (line, column, detail) =>
      this.error(expr.start, `${what} is not JSON (${line ?? 1}:${column ?? 1} in the text): ${detail}`),
    );
    return jsonNodes(
      tree,
      undefined,
      { offset: expr.start, length: expr.end - expr.start },
      "it is JSON text, not HCL; edit it by hand",
      unknowns,
    );
  }

  /** The template's text with known interpolations noted (heredoc or quoted). */
  renderTemplateSyntax(t: Syn): { text: string; known: Map<string, string | number | boolean> } {
    const known = new Map<string, string | number | boolean>();
    if (t.type === "heredoc_template") return { text: heredocBody(this.env, t).raw, known };
    let text = "";
    for (const part of quotedParts(this.env, t)) {
      if ("text" in part) {
        text += decodeQuoted(part.text)
          .replace(/\$\{/g, () => "$${")
          .replace(/%\{/g, () => "%%{");
      } else {
        const p = part.syn;
        const written = textOf(this.env, p);
        const expr = kids(p).find((k) => k.type === "expression");
        if (expr !== undefined && p.type === "template_interpolation") {
          const v = evaluate(this.env, expr, false).value;
          if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
            known.set(written.slice(2, -1).trim(), v);
          }
        }
        text += written;
      }
    }
    return { text, known };
  }

  directiveError(at: number, source: string, where: string): never {
    this.fail(
      at,
      `container_definitions: ${source} uses %{ } directives${where}, so it is not JSON until Terraform renders it. ` +
        "Lint what Terraform renders instead: terraform plan -out=tfplan && terraform show -json tfplan > plan.json && " +
        "firelens-preflight lint plan.json (or build the list with jsonencode() and for expressions)",
    );
  }

  /** `file("x.json")` / `templatefile("x.json.tpl", { … })`, relative to the module directory. */
  include(fname: string, args: readonly Syn[], expr: Syn): Containers {
    const pathNode = evaluate(this.env, args[0] as Syn, false);
    const span = { offset: expr.start, length: expr.end - expr.start };
    if (typeof pathNode.value !== "string") {
      const node = leaf(unknownValue(textOf(this.env, expr)), span.offset, span.length);
      return {
        node,
        unknownReason: `its ${fname}() path is not known before plan (${textOf(this.env, args[0] as Syn)})`,
      };
    }
    const moduleDir = this.file === "<stdin>" ? process.cwd() : dirname(this.file);
    const target = resolve(moduleDir, pathNode.value);
    let text: string;
    try {
      text = (this.options.readInclude ?? ((p: string) => readFileSync(p, "utf8")))(target);
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      this.fail(
        expr.start,
        `container_definitions = ${fname}("${pathNode.value}"): cannot read ${target}${code === "ENOENT" ? ": no such file" : ""}`,
        "io",
      );
    }
    const reason = `it is read from ${pathNode.value}: run fix on that file (a containerDefinitions array)`;
    if (fname === "file") {
      return { node: this.includedJson(text, pathNode.value, expr, new Map(), reason) };
    }
    const vars = args[1] === undefined ? undefined : evaluate(this.env, args[1], false);
    const lookup = (e: string): string | number | boolean | undefined => {
      const v = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(e) ? vars?.props?.get(e)?.value : undefined;
      return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
    };
    const tj = templateToJson(text, lookup);
    if (tj.directive !== undefined) {
      const { line, column } = new LineIndex(text).position(tj.directive);
      this.directiveError(
        expr.start,
        `the template ${pathNode.value}`,
        ` (${pathNode.value}:${line}:${column})`,
      );
    }
    const reasonTpl = `it is rendered from the template ${pathNode.value}; edit the template by hand`;
    return { node: this.includedJson(tj.json, pathNode.value, expr, tj.unknowns, reasonTpl) };
  }

  includedJson(
    json: string,
    name: string,
    expr: Syn,
    unknowns: ReadonlyMap<string, string>,
    reason: string,
  ): LNode {
    const tree = parseJsonText(json, (line, column, detail) =>
      this.error(
        expr.start,
        `${name}:${line ?? 1}:${column ?? 1}: ${detail} (read by container_definitions)`,
      ),
    );
    return jsonNodes(
      tree,
      undefined,
      { offset: expr.start, length: expr.end - expr.start },
      reason,
      unknowns,
    );
  }
}

/** Offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return at + column - 1;
}

export function containerViews(reader: Reader, list: LNode, base: JsonPath): ContainerView[] {
  if (isIntrinsic(list.value)) return [];
  if (list.items === undefined) {
    reader.fail(list.valueOffset, "expected container_definitions to be a list of container definitions");
  }
  const out: ContainerView[] = [];
  list.items.forEach((item, index) => {
    // A container that is unknown as a whole (a variable) is skipped, keeping the others' indexes.
    if (isIntrinsic(item.value)) return;
    if (!isPlainObject(item.value)) {
      reader.fail(item.valueOffset, "expected a container definition (an object)", "not-a-task-definition");
    }
    const definition = item.value as ContainerDefinition;
    const name = typeof definition.name === "string" ? definition.name : undefined;
    out.push({ name, index, definition, path: [...base, index] });
  });
  return out;
}
