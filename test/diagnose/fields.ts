/**
 * Every field diagnose reads, by where it sits in a describe-tasks + describe-services document, with what
 * the reader should do when its type is wrong. Written from the code that reads them (facts, cases,
 * evidence, services, roles), not from the reader's own table, so that a field the reader forgets is a
 * failing test here.
 */
import { readRepo } from "./helpers.js";

export type Path = ReadonlyArray<string | number>;

const T = ["tasks", 0] as const;
const C = [...T, "containers", 0] as const;
const S = ["services", 0] as const;
const E = [...S, "events", 0] as const;
const D = [...S, "deployments", 0] as const;
const B = [...S, "deploymentConfiguration", "deploymentCircuitBreaker"] as const;

/** Scalar fields: `error` fails the input, `note` leaves the value out with a note. */
export const SCALAR_FIELDS: ReadonlyArray<{
  path: Path;
  type: "string" | "number" | "boolean" | "timestamp";
  onWrong: "error" | "note";
}> = [
  ...["taskArn", "taskDefinitionArn", "group", "launchType", "platformVersion", "desiredStatus"].map((k) => ({
    path: [...T, k],
    type: "string" as const,
    onWrong: "note" as const,
  })),
  ...["lastStatus", "stopCode", "stoppedReason", "healthStatus"].map((k) => ({
    path: [...T, k],
    type: "string" as const,
    onWrong: "error" as const,
  })),
  ...[
    "createdAt",
    "pullStartedAt",
    "pullStoppedAt",
    "startedAt",
    "stoppingAt",
    "executionStoppedAt",
    "stoppedAt",
    "connectivityAt",
  ].map((k) => ({
    path: [...T, k],
    type: "timestamp" as const,
    onWrong: "error" as const,
  })),
  ...["name", "image", "lastStatus", "reason", "healthStatus"].map((k) => ({
    path: [...C, k],
    type: "string" as const,
    onWrong: "error" as const,
  })),
  { path: [...C, "exitCode"], type: "number", onWrong: "error" },
  ...["arn", "reason", "detail"].map((k) => ({
    path: ["failures", 0, k],
    type: "string" as const,
    onWrong: "note" as const,
  })),
  { path: [...S, "serviceName"], type: "string", onWrong: "note" },
  { path: [...S, "serviceArn"], type: "string", onWrong: "note" },
  { path: [...S, "createdAt"], type: "timestamp", onWrong: "error" },
  { path: [...E, "id"], type: "string", onWrong: "note" },
  { path: [...E, "createdAt"], type: "timestamp", onWrong: "error" },
  { path: [...E, "message"], type: "string", onWrong: "error" },
  ...["id", "status", "taskDefinition"].map((k) => ({
    path: [...D, k],
    type: "string" as const,
    onWrong: "note" as const,
  })),
  { path: [...D, "failedTasks"], type: "number", onWrong: "note" },
  { path: [...D, "rolloutState"], type: "string", onWrong: "error" },
  { path: [...D, "rolloutStateReason"], type: "string", onWrong: "error" },
  { path: [...D, "createdAt"], type: "timestamp", onWrong: "error" },
  { path: [...D, "updatedAt"], type: "timestamp", onWrong: "error" },
  { path: [...B, "enable"], type: "boolean", onWrong: "error" },
  { path: [...B, "rollback"], type: "boolean", onWrong: "error" },
];

/** Containers of other values: a wrong type here is always an error. */
export const STRUCTURE_FIELDS: readonly Path[] = [
  ["tasks"],
  T,
  [...T, "containers"],
  C,
  ["failures"],
  ["failures", 0],
  ["services"],
  S,
  [...S, "events"],
  E,
  [...S, "deployments"],
  D,
  [...S, "deploymentConfiguration"],
  B,
];

const TASKS = readRepo("examples/seed/incident/describe-tasks.json");
const SERVICES = readRepo("test/fixtures/diagnose/gated-deploy-services.json");

/** The seed's describe-tasks output and the gated deploy's describe-services output, in one document. */
export function fullDocument(): Record<string, unknown> {
  const tasks = JSON.parse(TASKS) as Record<string, unknown>;
  const services = JSON.parse(SERVICES) as Record<string, unknown>;
  return {
    ...tasks,
    failures: [{ arn: "arn:aws:ecs:us-east-1:1:task/c/gone", reason: "MISSING", detail: "not found" }],
    services: services.services,
  };
}

export function setAt(doc: unknown, path: Path, value: unknown): void {
  let node = doc as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}

export function getAt(doc: unknown, path: Path): unknown {
  let node = doc as Record<string | number, unknown> | undefined;
  for (const seg of path) node = node?.[seg] as Record<string | number, unknown> | undefined;
  return node;
}

/** `$.tasks[0].containers[0].name` */
export function pathText(path: Path): string {
  return `$${path.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("")}`;
}
