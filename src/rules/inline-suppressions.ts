/**
 * Suppressions written beside what they acknowledge, always with a reason:
 *
 * - CloudFormation: on the `AWS::ECS::TaskDefinition` resource, the way cfn-lint reads `Metadata: cfn-lint:`:
 *   `Metadata: { firelens-preflight: { ignore: [ { id: FLP203, containers: [log-router], reason: "…" } ] } }`.
 *   It applies to that task definition.
 * - YAML task definitions and templates: a full-line comment anywhere in the file, the way hadolint reads
 *   `# hadolint ignore=…`: `# firelens-preflight-ignore FLP203[log-router]: pinned by digest in CD`.
 *   It applies to the whole file. ECS and CloudFormation ignore both.
 * - JSON task definitions cannot carry either: a config-file entry with `files` and `containers` does the job.
 */
import { isObject, str } from "../model/index.js";
import type { JsonPath, TaskDefinitionDocument } from "../taskdef/model.js";
import type { Suppression } from "./types.js";

export const METADATA_KEY = "firelens-preflight";
const COMMENT = /^[ \t]*#[ \t]*firelens-preflight-ignore\b(.*)$/gim;
const COMMENT_BODY = /^[ \t]+(FLP\d{3})(?:\[([^\]]*)\])?[ \t]*:[ \t]*(.*?)[ \t]*$/i;
/** Reasons shorter than this say nothing (cdk-nag's rule, as on the command line). */
const MIN_REASON = 10;

export interface InlineSuppression extends Suppression {
  /** The task definition it applies to (Metadata), or `undefined` for the whole file (a comment). */
  readonly taskDefinition: string | undefined;
  /** Where it is written: a raw path (Metadata) or a text offset (a comment). */
  readonly at: { readonly rawPath: JsonPath } | { readonly offset: number };
}

export interface InlineProblem {
  readonly at: InlineSuppression["at"];
  readonly taskDefinition: string | undefined;
  readonly detail: string;
}

export interface InlineSuppressions {
  readonly suppressions: readonly InlineSuppression[];
  readonly problems: readonly InlineProblem[];
}

function checked(
  id: unknown,
  reason: unknown,
  containers: unknown,
): { ok: Suppression } | { problem: string } {
  const rule = str(id);
  if (rule === undefined || !/^FLP\d{3}$/i.test(rule)) return { problem: "needs a rule id such as FLP203" };
  const why = str(reason)?.trim() ?? "";
  if (why.length < MIN_REASON) return { problem: `needs a reason of at least ${MIN_REASON} characters` };
  if (
    containers !== undefined &&
    !(Array.isArray(containers) && containers.every((c) => typeof c === "string"))
  ) {
    return { problem: "containers must be a list of container names" };
  }
  const names = containers as string[] | undefined;
  return {
    ok: { id: rule.toUpperCase(), reason: why, ...(names === undefined ? {} : { appliesTo: names }) },
  };
}

function fromMetadata(
  doc: TaskDefinitionDocument,
  out: InlineSuppression[],
  problems: InlineProblem[],
): void {
  for (const td of doc.taskDefinitions) {
    const own: unknown = isObject(td.metadata) ? td.metadata[METADATA_KEY] : undefined;
    if (own === undefined) continue;
    const base = [...td.path.slice(0, -1), "Metadata", METADATA_KEY];
    const list: unknown = isObject(own) ? own.ignore : undefined;
    if (!Array.isArray(list)) {
      problems.push({
        at: { rawPath: base },
        taskDefinition: td.id,
        detail: "expected ignore: a list of {id, reason, containers}",
      });
      continue;
    }
    list.forEach((item, i) => {
      const at = { rawPath: [...base, "ignore", i] };
      const r = isObject(item)
        ? checked(item.id, item.reason, item.containers)
        : { problem: "expected {id, reason, containers}" };
      if ("ok" in r) out.push({ ...r.ok, taskDefinition: td.id, at });
      else problems.push({ at, taskDefinition: td.id, detail: r.problem });
    });
  }
}

function fromComments(
  doc: TaskDefinitionDocument,
  out: InlineSuppression[],
  problems: InlineProblem[],
): void {
  if (!doc.format.includes("yaml") || !doc.text.includes("firelens-preflight-ignore")) return;
  for (const m of doc.text.matchAll(COMMENT)) {
    const at = { offset: (m.index ?? 0) + (m[0].length - m[0].trimStart().length) };
    const body = COMMENT_BODY.exec(m[1] ?? "");
    if (body === null) {
      problems.push({
        at,
        taskDefinition: undefined,
        detail: "expected `# firelens-preflight-ignore FLPnnn[container,…]: reason`",
      });
      continue;
    }
    const containers = body[2]
      ?.split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const r = checked(body[1], body[3], containers);
    if ("ok" in r) out.push({ ...r.ok, taskDefinition: undefined, at });
    else problems.push({ at, taskDefinition: undefined, detail: r.problem });
  }
}

export function inlineSuppressions(doc: TaskDefinitionDocument): InlineSuppressions {
  const suppressions: InlineSuppression[] = [];
  const problems: InlineProblem[] = [];
  fromMetadata(doc, suppressions, problems);
  fromComments(doc, suppressions, problems);
  return { suppressions, problems };
}
