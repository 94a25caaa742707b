/**
 * What `fix` checks before it plans the gate in a Terraform document: a task definition whose container
 * list is not written literally (`jsonencode(var.containers)`, a `file()` path known only at plan time) has
 * containers fix cannot see, so "nothing to gate" would be a guess. It refuses, with the way forward.
 */
import { unreadableContainerLists } from "../taskdef/index.js";
import type { TaskDefinitionDocument } from "../taskdef/model.js";
import { FixError } from "./errors.js";

export function checkTerraformFixable(doc: TaskDefinitionDocument): void {
  if (doc.format === "terraform-plan") {
    const where = doc.taskDefinitions
      .map((td) => (td.origin === undefined ? td.id : `${td.id} (${td.origin.file}:${td.origin.line})`))
      .join(", ");
    throw new FixError(
      "unsupported",
      doc.file,
      `a terraform show -json document shows what Terraform will send; fix the configuration that writes it instead${where === "" ? "" : `: ${where}`}. Nothing was written.`,
    );
  }
  if (doc.format === "terraform-json") {
    throw new FixError(
      "unsupported",
      doc.file,
      "fix edits .tf files; in .tf.json the container definitions are a string, so add the gate by hand (firelens-preflight fix on the same definitions as JSON shows what to add). Nothing was written.",
    );
  }
  if (doc.format !== "terraform-hcl") return;
  for (const [id, reason] of unreadableContainerLists(doc)) {
    throw new FixError(
      "unsupported",
      doc.file,
      `${id}: ${reason}, so fix cannot see or edit its containers. Write the list literally in jsonencode([ … ]), or add the gate where the list is written; \`terraform show -json\` of a plan lints the rendered definitions. Nothing was written.`,
    );
  }
}
