/**
 * Formats people point us at that we do not read: Terraform HCL, jsonnet, and unrendered templates. Each gets a
 * `TaskDefError` of kind `unsupported-format` that names the format and the way to a file we do read, instead of
 * whichever parser error the text happened to trip (a YAML parser's "Implicit keys need to be on a single line").
 */
import { TaskDefError } from "./errors.js";
import type { LineIndex } from "./raw.js";

/**
 * Terraform HCL in a file not named `.tf` (the Terraform reader dispatches on the name, as Terraform itself does).
 * `at`: where the evidence is.
 */
export function terraformNotRead(file: string, at?: { line: number; column: number }): TaskDefError {
  return new TaskDefError({
    kind: "unsupported-format",
    file,
    ...at,
    detail:
      "this is Terraform HCL: firelens-preflight reads it from files named *.tf (or *.tf.json, or the JSON of " +
      "`terraform show -json`), as Terraform does; rename or copy it to a .tf file",
    expected: "JSON, YAML or a .tf file",
  });
}

const JSONNET_FILE = /\.(?:jsonnet|libsonnet)$/i;
const TEMPLATE_FILE = /\.(?:tpl|tmpl|gotmpl|j2|jinja2?|erb|mustache)$/i;

/** A top-level HCL block: `resource "aws_ecs_task_definition" "app" {`, `locals {`, … */
const HCL_BLOCK =
  /^[ \t]*(?:resource|data|module|variable|locals|provider|terraform|output)(?:[ \t]+"[^"\n]*")*[ \t]*\{[ \t]*\r?$/m;
/** jsonnet: `local x = …;`, `std.manifestJson(…)`, `import "x.libsonnet"`. */
const JSONNET =
  /^[ \t]*local[ \t]+[A-Za-z_]\w*[ \t]*(?:\([^)\n]*\))?[ \t]*=|\bstd\.[A-Za-z]+\(|^[ \t]*import(?:str)?[ \t]+["']/m;

function position(lines: LineIndex, offset: number): { line: number; column: number } {
  return lines.position(offset);
}

/**
 * The first template directive (`${…}`, `%{…}`, `{{…}}`, `{%…%}`, `<%…%>`) outside double-quoted strings: inside
 * one, it is a placeholder in a value, which we read as "known at deploy time"; outside, the text is not JSON or
 * YAML until a template engine has run.
 */
function directiveOutsideStrings(text: string, json: boolean): number | undefined {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34 || d === 10) break;
      }
      continue;
    }
    if (!json && c === 39) {
      const end = text.indexOf("'", i + 1);
      const eol = text.indexOf("\n", i + 1);
      if (end >= 0 && (eol < 0 || end < eol)) i = end;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (
      // `${` is a template only in JSON: in YAML it is everyday CloudFormation (`!Sub arn:${AWS::Partition}:…`).
      (c === 36 && next === 123 && json) ||
      (c === 37 && next === 123) || // %{
      (c === 123 && (next === 123 || next === 37)) || // {{ {%
      (c === 60 && next === 37) // <%
    ) {
      return i;
    }
  }
  return undefined;
}

/**
 * When a text failed to load as JSON or YAML (`failed` is the error it got), whether it is one of the formats
 * above; `undefined` leaves the original error standing. Content is sniffed only after a syntax error, so a
 * `.json.tpl` or `.jsonnet` file that happens to be plain JSON still loads.
 */
export function unsupportedFormat(
  text: string,
  file: string,
  json: boolean,
  failed: TaskDefError,
  lines: LineIndex,
): TaskDefError | undefined {
  // A text of these formats may even parse, as a YAML scalar, and then fail as "no task definition".
  const syntax = failed.kind === "syntax";
  const hcl = HCL_BLOCK.exec(text);
  if (hcl !== null)
    return terraformNotRead(file, position(lines, hcl.index + (hcl[0].length - hcl[0].trimStart().length)));
  const jsonnetByName = JSONNET_FILE.test(file);
  const jsonnet = JSONNET.exec(text);
  if (jsonnetByName || jsonnet !== null) {
    const name = file.replace(/^.*[\\/]/, "");
    const out = name.replace(JSONNET_FILE, "") || "out";
    return new TaskDefError({
      kind: "unsupported-format",
      file,
      ...(jsonnet !== null
        ? position(lines, jsonnet.index + (jsonnet[0].length - jsonnet[0].trimStart().length))
        : {}),
      detail: `this is jsonnet, which firelens-preflight does not read: render it first with \`jsonnet ${name} > ${out}.json\` (ecspresso: \`ecspresso render taskdef\`), then lint the JSON`,
      expected: "JSON or YAML",
    });
  }
  const directive = syntax ? directiveOutsideStrings(text, json) : undefined;
  if (directive !== undefined || (syntax && TEMPLATE_FILE.test(file))) {
    const at = directive === undefined ? undefined : position(lines, directive);
    const what = directive === undefined ? "" : ` (\`${text.slice(directive, directive + 2)}…\`)`;
    return new TaskDefError({
      kind: "unsupported-format",
      file,
      ...at,
      detail: `this is a template with \`\${…}\` / \`{{ }}\` directives${what}, not yet JSON or YAML: render it first (Terraform templatefile(), envsubst, \`ecspresso render taskdef\`, …), then lint the output`,
      expected: "JSON or YAML",
    });
  }
  return undefined;
}
