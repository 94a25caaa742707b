/**
 * What `check` adds to its findings, per task definition: the startup order, what never starts, what each
 * scenario (the router's crash, a gate's failure) does, and the verdict. Built here, beside the plan it condenses,
 * because it is also the public JSON `startup` shape of `check -f json`; `check` only calls and prints it.
 */
import type { TaskOutcome } from "../model/index.js";
import type { TaskDefinitionDocument, TaskDefinitionView } from "../taskdef/model.js";
import { type BranchStartup, buildStartupPlan, type StartupPlan } from "./graph.js";
import { scenariosOf } from "./scenario.js";

/** How one reading of a task starts, condensed: its rounds, what never starts and what each scenario does. */
export interface StartupWay {
  /** Why the ECS agent would refuse the whole task, when it would. */
  readonly refusal?: string;
  readonly stages: readonly (readonly string[])[];
  readonly neverStarts: readonly { container: string; reason: string }[];
  /** What the router's crash (exit 139) and a gate's failure (exit 1) would do. */
  readonly ifExits: readonly {
    container: string;
    role: "router" | "gate";
    explanation: string;
    /** What the task does then: `stops`, `runs`, `runs-without-router` or `hangs` (before RUNNING). */
    task: TaskOutcome;
  }[];
}

export interface StartupSummary extends StartupWay {
  readonly file: string;
  readonly taskDefinition: string;
  /**
   * When the task's conditions change how it starts: the conditions of the way the fields above show, and every
   * way with the conditions that choose it. Absent when every branch starts alike.
   */
  readonly shows?: string;
  readonly branches?: readonly (StartupWay & { readonly when: string })[];
  /** Containers (or the whole list) that cannot be read before deploy: the order above leaves them out. */
  readonly unreadable?: readonly string[];
  /** One sentence: whether the app is gated, and what a router crash would do. */
  readonly verdict: string;
}

/**
 * The plan of one task definition of a document, ordered as the agent orders it for the services that run it:
 * with Service Connect when any service in the document runs it with Service Connect.
 */
export function planOfTaskDefinition(doc: TaskDefinitionDocument, td: TaskDefinitionView): StartupPlan {
  const services = doc.services.filter((s) => s.taskDefinitionRef === td.id);
  return buildStartupPlan(td, { serviceConnect: services.some((s) => s.serviceConnect === true) });
}

function wayOf(plan: BranchStartup): StartupWay {
  return {
    ...(plan.refusal === undefined ? {} : { refusal: plan.refusal }),
    stages: plan.stages,
    neverStarts: plan.blocked.map((b) => ({ container: b.name, reason: b.reason })),
    ifExits: scenariosOf(plan).map((c) => ({
      container: c.container,
      role: c === plan.routerCrash ? ("router" as const) : ("gate" as const),
      explanation: c.explanation,
      task: c.task,
    })),
  };
}

function summaryOf(file: string, plan: StartupPlan): StartupSummary {
  return {
    file,
    taskDefinition: plan.taskDefinition,
    ...wayOf(plan),
    ...(plan.shows === undefined
      ? {}
      : { shows: plan.shows, branches: plan.branches.map((b) => ({ when: b.when, ...wayOf(b) })) }),
    ...(plan.unreadable.length === 0 ? {} : { unreadable: plan.unreadable }),
    verdict: plan.verdict,
  };
}

/** One summary per task definition of the document. */
export function startupSummaries(doc: TaskDefinitionDocument): StartupSummary[] {
  return doc.taskDefinitions.map((td) => summaryOf(doc.file, planOfTaskDefinition(doc, td)));
}

function wayLines(way: StartupWay, prefix: string): string[] {
  if (way.refusal !== undefined)
    return [`  ${prefix}the ECS agent refuses this task before starting any container: ${way.refusal}`];
  // Never an empty order: a task none of whose containers can be read says so (the verdict says why).
  const order =
    way.stages.length > 0
      ? way.stages.map((stage) => stage.join(", ")).join(" → ")
      : way.neverStarts.length > 0
        ? "no container can start"
        : "no container can be read before deploy";
  const lines = [`  ${prefix}startup: ${order}`];
  for (const b of way.neverStarts) lines.push(`  ${prefix}never starts: ${b.container} ${b.reason}`);
  for (const c of way.ifExits) {
    lines.push(`  ${prefix}if ${c.container} ${c.role === "router" ? "crashes" : "fails"}: ${c.explanation}`);
  }
  return lines;
}

/**
 * The summaries in two or three lines per task definition, for `check`'s text report; a task whose conditions
 * change how it starts gets them once per way, each under its conditions.
 */
export function startupSummaryLines(summaries: readonly StartupSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    const prefix = summaries.length > 1 ? `${s.taskDefinition}: ` : "";
    if (s.branches === undefined) lines.push(...wayLines(s, prefix));
    else for (const way of s.branches) lines.push(...wayLines(way, `${prefix}when ${way.when}: `));
    if (s.unreadable !== undefined)
      lines.push(`  ${prefix}left out, cannot be read before deploy: ${s.unreadable.join("; ")}`);
  }
  return lines;
}

/** The file's verdict, one line: per task, gated or not and what a router crash would do. */
export function startupVerdictLine(file: string, summaries: readonly StartupSummary[]): string {
  const verdicts = summaries.map((s) =>
    summaries.length > 1 ? `${s.taskDefinition}: ${s.verdict}` : s.verdict,
  );
  return `${file}: ${verdicts.length === 0 ? "no task definition" : verdicts.join("; ")}`;
}

/** Every plan of a document, each with its Service Connect setting. */
export function plansOfDocument(doc: TaskDefinitionDocument): StartupPlan[] {
  return doc.taskDefinitions.map((td) => planOfTaskDefinition(doc, td));
}
