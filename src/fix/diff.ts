/**
 * The `--dry-run` diff: what `fix` would change, for a person to read. Printed, so every plain secret is
 * masked in it (in the context lines as in the added ones, such as a log configuration copied to the
 * gate); the gated document itself, which is written, keeps its values.
 */
import { createTwoFilesPatch } from "diff";
import { documentSecrets, maskSecretsInText } from "../model/index.js";
import { parseDocument } from "../taskdef/index.js";
import type { TaskDefinitionDocument } from "../taskdef/model.js";
import type { GateResult } from "./gate.js";

/** The gated text as it may be printed: its own secrets located again, the input's masked wherever copied. */
function maskedResult(doc: TaskDefinitionDocument, text: string, values: readonly string[]): string {
  try {
    const gated = documentSecrets(parseDocument(text, doc.file));
    return maskSecretsInText(text, { spans: gated.spans, values: [...values, ...gated.values] });
  } catch {
    // The gated text did not parse again (it always should): mask every copy of every value, short ones too.
    return maskSecretsInText(text, { spans: [], values }, 1);
  }
}

/** A unified diff from the input to the gated document, secrets masked; empty when nothing changed. */
export function gateDiff(doc: TaskDefinitionDocument, result: GateResult): string {
  if (!result.changed) return "";
  const before = documentSecrets(doc);
  return createTwoFilesPatch(
    doc.file,
    doc.file,
    maskSecretsInText(doc.text, before),
    maskedResult(doc, result.text, before.values),
    "",
    "gated",
  );
}
