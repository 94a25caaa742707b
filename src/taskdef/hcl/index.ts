/**
 * Terraform in the shared model: which texts are Terraform, and reading them. Nothing here loads the HCL
 * parser; `loadHclParser` does, on demand (see parser.ts), so `check` on JSON never pays for it.
 */
import type { TaskDefinitionDocument } from "../model.js";
import { HCL_PACKAGES, HclParserMissingError, hclParserLoaded, loadHclParser } from "./parser.js";
import { isTerraformShowJson, readTerraformPlan } from "./plan.js";
import { readTerraformHcl } from "./terraform.js";
import { terraformInternals } from "./tf-document.js";
import { readTerraformJson } from "./tfjson.js";
import { attachUnknownContainers } from "./unknowns.js";

export { HCL_PACKAGES, HclParserMissingError, hclParserLoaded, loadHclParser };

/** Top-level HCL blocks as Terraform writes them: `resource "…" "…" {`, `locals {`, … */
const HCL_BLOCK =
  /^[ \t]*(?:resource|data|locals|module|variable|output|terraform|provider)\b[^:=\n]*\{[ \t]*(?:#.*)?\r?$/m;

/** Which Terraform shape a file is, by its name, else by a look at its text (stdin, renamed copies). */
export function terraformKind(text: string, file: string): "hcl" | undefined {
  if (/\.tf$/i.test(file)) return "hcl";
  if (/\.(json|ya?ml|template)$/i.test(file)) return undefined;
  const first = text.trimStart().charAt(0);
  if (first === "{" || first === "[") return undefined;
  return HCL_BLOCK.test(text) ? "hcl" : undefined;
}

/**
 * Whether reading this text needs `loadHclParser` first: `.tf`, `.tf.json` (expressions in strings), and
 * `terraform show -json` output (its module's `.tf` files are read for the definitions' lines).
 */
export function needsHclParser(text: string, file: string): boolean {
  if (terraformKind(text, file) !== undefined || /\.tf\.json$/i.test(file)) return true;
  const head = text.slice(0, 2000);
  return head.includes('"format_version"') && /"(planned_values|values|configuration)"/.test(text);
}

/** Parsed JSON that is Terraform (`.tf.json` by name, `terraform show -json` by shape), else `undefined`. */
export function terraformFromJson(
  text: string,
  file: string,
  data: unknown,
): TaskDefinitionDocument | undefined {
  if (/\.tf\.json$/i.test(file)) return withUnknowns(readTerraformJson(text, file, data));
  if (isTerraformShowJson(data)) return withUnknowns(readTerraformPlan(text, file, data));
  return undefined;
}

/** The Terraform document, or `undefined` when the text is not Terraform. */
export function parseTerraform(text: string, file: string): TaskDefinitionDocument | undefined {
  const kind = terraformKind(text, file);
  if (kind === "hcl") return withUnknowns(readTerraformHcl(text, file).doc);
  return undefined;
}

/** The document with the container elements its reader set aside kept on the views (see unknowns.ts). */
function withUnknowns(doc: TaskDefinitionDocument): TaskDefinitionDocument {
  return attachUnknownContainers(doc, terraformInternals(doc));
}

/**
 * Terraform task definitions whose container list cannot be read before plan (`jsonencode(var.x)`, a
 * `file()` path known only at plan time, a plan's "known after apply"): id → why. Empty for other formats.
 */
export function unreadableContainerLists(doc: TaskDefinitionDocument): ReadonlyMap<string, string> {
  return terraformInternals(doc)?.unreadable ?? new Map();
}
