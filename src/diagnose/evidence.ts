/** The evidence lines under a task's summary: what describe-tasks said, one line per subject. */
import { iso, shortTaskDefinition } from "./services.js";
import { formatExit } from "./signals.js";
import type { ContainerFacts, EvidenceLine, Task } from "./types.js";

/** `OutOfMemoryError` from `OutOfMemoryError: Container killed…`; `probe result` for the probe's JSON line. */
export function reasonLabel(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  const name = /^\s*([A-Z][A-Za-z]*(?:Error|Exception))\b/.exec(reason)?.[1];
  if (name !== undefined) return name;
  return reason.trim().startsWith("{") ? "probe result in reason" : undefined;
}

const ROLE_LABELS: Readonly<Record<ContainerFacts["role"], string>> = {
  router: "log router",
  preflight: "preflight gate",
  agent: "agent",
  app: "app",
  other: "container",
};

function roleLabel(c: ContainerFacts): string {
  const essential = c.essential === undefined ? "essential?" : c.essential ? "essential" : "non-essential";
  return `${ROLE_LABELS[c.role]}, ${essential}${c.roleSource === "inferred" ? ", inferred" : ""}`;
}

export function containerLine(c: ContainerFacts): EvidenceLine {
  const parts = [`[${roleLabel(c)}]`, `lastStatus ${c.lastStatus ?? "?"}`];
  parts.push(c.exitCode === undefined ? "no exit code" : `exit ${formatExit(c.exitCode)}`);
  if (c.reason !== undefined) parts.push(`reason "${c.reason}"`);
  if (c.healthStatus !== undefined && c.healthStatus !== "UNKNOWN") parts.push(`health ${c.healthStatus}`);
  if (c.image !== undefined) parts.push(`image ${c.image}`);
  return { subject: c.name, text: parts.join(", ") };
}

const TASK_TIMES = [
  "createdAt",
  "pullStartedAt",
  "startedAt",
  "stoppingAt",
  "executionStoppedAt",
  "stoppedAt",
] as const;

export function taskLines(task: Task): EvidenceLine[] {
  const lines: EvidenceLine[] = [];
  const status = [`lastStatus ${task.lastStatus ?? "?"}`];
  if (task.desiredStatus !== undefined) status.push(`desiredStatus ${task.desiredStatus}`);
  if (task.stopCode !== undefined) status.push(`stopCode ${task.stopCode}`);
  if (task.stoppedReason !== undefined) status.push(`stoppedReason "${task.stoppedReason}"`);
  if (task.healthStatus !== undefined) status.push(`health ${task.healthStatus}`);
  lines.push({ subject: "task", text: status.join(", ") });
  const times = TASK_TIMES.flatMap((key) => {
    const at = task[key];
    return at === undefined ? [] : [`${key} ${iso(at)}`];
  });
  if (times.length > 0) lines.push({ subject: "task", text: times.join(", ") });
  const meta: string[] = [];
  if (task.taskDefinitionArn !== undefined)
    meta.push(`task definition ${shortTaskDefinition(task.taskDefinitionArn)}`);
  if (task.group !== undefined) meta.push(`group ${task.group}`);
  if (task.launchType !== undefined) meta.push(`launchType ${task.launchType}`);
  if (task.platformVersion !== undefined) meta.push(`platformVersion ${task.platformVersion}`);
  if (meta.length > 0) lines.push({ subject: "task", text: meta.join(", ") });
  return lines;
}
