/**
 * Terraform container list elements that are not containers before plan, kept on the view with their position
 * (`TaskDefinitionView.unknownContainers`): an element chosen by a conditional (`var.on ? [{…}] : []` spliced by
 * `concat`), a list spliced in from a module output or a variable, or the whole list. The readers build the views
 * from the located tree; this reads the same tree once more for what they set aside, so every Terraform reader
 * (`.tf`, `.tf.json`, plan JSON) reports them alike.
 */
import type { JsonPath, TaskDefinitionDocument, UnknownContainerView } from "../model.js";
import { isIntrinsic } from "../values.js";
import { type LNode, walk } from "./located.js";

/** What the readers keep beside the document: its located tree, and the lists they could not read at all. */
export interface LocatedTerraform {
  readonly root: LNode;
  readonly unreadable: ReadonlyMap<string, string>;
}

/** How to see what Terraform will pass: the plan, which `check` and `lint` read as they read a `.tf`. */
export const TERRAFORM_PLAN_REMEDY =
  "run `terraform plan -out=tfplan && terraform show -json tfplan > plan.json` and check plan.json";

function elementReason(value: unknown): string {
  if (!isIntrinsic(value)) return "it is not a container definition";
  const text = typeof value.argument === "string" ? value.argument : "an expression";
  if (value.choice !== undefined) return `the container is chosen by ${value.choice.condition}`;
  return `its elements come from ${text}, known only at plan`;
}

/**
 * Set `unknownContainers` on each task definition view of a Terraform document. The views were built by the
 * reader just now and nothing holds them yet, so they are completed in place (their identity is the reading's
 * cache key further up).
 */
export function attachUnknownContainers(
  doc: TaskDefinitionDocument,
  located: LocatedTerraform | undefined,
): TaskDefinitionDocument {
  if (located === undefined) return doc;
  for (const td of doc.taskDefinitions) {
    const base: JsonPath = [...td.path, td.containersKey ?? "container_definitions"];
    const nodes = walk(located.root, base);
    const list = nodes.length === base.length + 1 ? nodes[nodes.length - 1] : undefined;
    const out: UnknownContainerView[] = [];
    const whole = located.unreadable.get(td.id);
    if (whole !== undefined || (list !== undefined && isIntrinsic(list.value))) {
      const text = list !== undefined && isIntrinsic(list.value) ? String(list.value.argument) : undefined;
      out.push({
        index: undefined,
        path: base,
        reason: whole ?? `the whole list is ${text}, known only at plan`,
      });
    } else if (list?.items !== undefined) {
      list.items.forEach((item, index) => {
        if (!isIntrinsic(item.value)) return;
        out.push({
          index,
          path: [...base, index],
          reason: elementReason(item.value),
          ...(item.value.choice === undefined ? {} : { value: item.value }),
        });
      });
    }
    if (out.length > 0)
      (td as { unknownContainers?: readonly UnknownContainerView[] }).unknownContainers = out;
  }
  return doc;
}
