/**
 * Which deployment controller an ECS service uses. The deployment circuit breaker only applies to the rolling
 * update of the `ECS` controller (the default); a `CODE_DEPLOY` (blue/green) or `EXTERNAL` service rejects or
 * ignores it (reference ecs.md §6: `deploymentCircuitBreaker` applies to the rolling update, `ECS` controller, only).
 *
 * Read from the service's own text span rather than the view, so every format's reader stays as it is: a
 * template's `DeploymentController.Type`, a `.tf`'s `deployment_controller { type = … }`, a plan's
 * `deployment_controller: [{type}]`.
 */
import { parseDocumentData } from "./document.js";
import type { ServiceView, TaskDefinitionDocument } from "./model.js";
import { isIntrinsic } from "./values.js";

/** `ECS`, `CODE_DEPLOY`, `EXTERNAL` (or another literal as written); `unknown` when only known at deploy time. */
export type DeploymentControllerType = string;
export const ROLLING_CONTROLLER = "ECS";

/** Raw data of a template, parsed once per document and only when a service's controller is asked for. */
const templateData = new WeakMap<TaskDefinitionDocument, unknown>();

function rawTemplate(doc: TaskDefinitionDocument): unknown {
  if (!templateData.has(doc)) {
    let data: unknown;
    try {
      data = parseDocumentData(doc.text, doc.file, { maxBytes: Number.POSITIVE_INFINITY }).data;
    } catch {
      data = undefined;
    }
    templateData.set(doc, data);
  }
  return templateData.get(doc);
}

function at(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

function fromValue(value: unknown): DeploymentControllerType {
  if (value === undefined || value === null) return ROLLING_CONTROLLER;
  if (typeof value === "string") return value.includes("${") ? "unknown" : value.toUpperCase();
  return "unknown";
}

/**
 * The service's deployment controller type: `ECS` when none is written (the API's default), `unknown` when it is
 * only known at deploy time (an intrinsic, a variable).
 */
export function deploymentControllerOf(
  doc: TaskDefinitionDocument,
  s: ServiceView,
): DeploymentControllerType {
  if (doc.format === "cloudformation-json" || doc.format === "cloudformation-yaml") {
    const controller = at(rawTemplate(doc), [...s.path, "DeploymentController"]);
    if (controller === undefined || controller === null) return ROLLING_CONTROLLER;
    if (typeof controller !== "object" || Array.isArray(controller) || isIntrinsic(controller))
      return "unknown";
    const keys = Object.keys(controller);
    // A long-form intrinsic as the whole block (`{"Fn::If": …}`), or `!If` kept as a tag by the YAML reader.
    if (keys.length === 1 && (keys[0]?.startsWith("Fn::") || keys[0] === "Ref")) return "unknown";
    const type = at(controller, ["Type"]);
    return fromValue(type);
  }
  if (doc.format === "terraform-hcl" || doc.format === "terraform-json" || doc.format === "terraform-plan") {
    const where = doc.locate(s.path);
    const text = doc.text.slice(where.offset, where.offset + where.length);
    return terraformController(text, doc.format === "terraform-hcl");
  }
  return ROLLING_CONTROLLER;
}

/** `deployment_controller { type = "CODE_DEPLOY" }` in HCL, `"deployment_controller": [{"type": …}]` in JSON. */
function terraformController(text: string, hcl: boolean): DeploymentControllerType {
  if (hcl) {
    const block = /(^|\n)\s*(dynamic\s+"deployment_controller"|deployment_controller)\s*\{([^}]*)\}/.exec(
      text,
    );
    if (block === null) return ROLLING_CONTROLLER;
    if (block[2]?.startsWith("dynamic")) return "unknown";
    const type = /(^|\n)\s*type\s*=\s*(.+)/.exec(block[3] ?? "");
    if (type === null) return ROLLING_CONTROLLER;
    const literal = /^"([A-Za-z_]+)"\s*(#.*|\/\/.*)?$/.exec((type[2] ?? "").trim());
    return literal === null ? "unknown" : (literal[1] ?? "").toUpperCase();
  }
  const block = /"deployment_controller"\s*:\s*(\[[^\]]*\]|null)/.exec(text);
  if (block === null || block[1] === "null") return ROLLING_CONTROLLER;
  const type = /"type"\s*:\s*("([^"]*)"|null)/.exec(block[1] ?? "");
  if (type === null || type[1] === "null") return ROLLING_CONTROLLER;
  return fromValue(type[2]);
}

/** Whether a deployment circuit breaker applies to the service (its controller is the rolling `ECS` one). */
export function circuitBreakerApplies(doc: TaskDefinitionDocument, s: ServiceView): boolean | undefined {
  const type = deploymentControllerOf(doc, s);
  if (type === "unknown") return undefined;
  return type === ROLLING_CONTROLLER;
}
