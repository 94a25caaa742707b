/**
 * Terraform in the shared model: which texts are Terraform, and reading them. Nothing here loads the HCL
 * parser; `loadHclParser` does, on demand (see parser.ts), so `check` on JSON never pays for it.
 */
import type { TaskDefinitionDocument } from "../model.js";
import { hclParserLoaded, loadHclParser } from "./parser.js";
import { readTerraformHcl } from "./terraform.js";

export { hclParserLoaded, loadHclParser };

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

/** Whether reading this text needs `loadHclParser` first. */
export function needsHclParser(text: string, file: string): boolean {
  return terraformKind(text, file) !== undefined;
}

/** The Terraform document, or `undefined` when the text is not Terraform. */
export function parseTerraform(text: string, file: string): TaskDefinitionDocument | undefined {
  const kind = terraformKind(text, file);
  if (kind === "hcl") return readTerraformHcl(text, file).doc;
  return undefined;
}

export { type TerraformInternals, terraformInternals } from "./terraform.js";
