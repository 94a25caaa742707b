/**
 * The fields diagnose reads, with the type each must have, checked before anything reads them; the objects
 * the reader returns hold only these fields, so nothing downstream can meet a value that was not checked.
 * Shapes: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html, API_Container.html,
 * API_Failure.html, API_Service.html, API_ServiceEvent.html, API_Deployment.html and
 * API_DeploymentCircuitBreaker.html (same folder).
 *
 * A value of the wrong type is either an error (exit 2) or a note, per field:
 * - `error` for evidence a verdict rests on: exit codes and reasons, statuses and stop codes, container
 *   names and images (roles are read from them), every timestamp (the traffic window), event messages
 *   (registrations, rollbacks) and the rollout state and circuit breaker. Diagnosing without one of them
 *   would name a chain the document does not show, with the confidence of one it does.
 * - `note` for values that only label or link: ARNs, ids, the task's group, launch type and platform
 *   version, service names, `failures[]` entries, a deployment's counts. The diagnosis stands without
 *   them (a task without an ARN is still diagnosed; a service without a name still matches the only one
 *   given), so the value is left out and a located note says so.
 * `null` counts as absent everywhere: the AWS CLI never prints it, other tools print it for "not set".
 */
import type { Reader } from "./reader.js";
import { describeValue, isObject, own, type Path, quoteShort } from "./reader.js";
import type { Deployment, Failure, Service, ServiceEvent, Task } from "./types.js";

type Scalar = "string" | "integer" | "boolean" | "timestamp";
type OnWrongType = "error" | "note";
type Fields = Readonly<Record<string, readonly [Scalar, OnWrongType]>>;

const TIMESTAMP = "a timestamp (ISO 8601 text or epoch seconds)";
const EXPECTED: Readonly<Record<Scalar, string>> = {
  string: "a string",
  integer: "a number",
  boolean: "true or false",
  timestamp: TIMESTAMP,
};

const TASK_FIELDS: Fields = {
  taskArn: ["string", "note"],
  taskDefinitionArn: ["string", "note"],
  group: ["string", "note"],
  launchType: ["string", "note"],
  platformVersion: ["string", "note"],
  desiredStatus: ["string", "note"],
  lastStatus: ["string", "error"],
  stopCode: ["string", "error"],
  stoppedReason: ["string", "error"],
  healthStatus: ["string", "error"],
  connectivityAt: ["timestamp", "error"],
  createdAt: ["timestamp", "error"],
  executionStoppedAt: ["timestamp", "error"],
  pullStartedAt: ["timestamp", "error"],
  pullStoppedAt: ["timestamp", "error"],
  startedAt: ["timestamp", "error"],
  stoppedAt: ["timestamp", "error"],
  stoppingAt: ["timestamp", "error"],
};

const CONTAINER_FIELDS: Fields = {
  name: ["string", "error"],
  image: ["string", "error"],
  lastStatus: ["string", "error"],
  exitCode: ["integer", "error"],
  reason: ["string", "error"],
  healthStatus: ["string", "error"],
};

const FAILURE_FIELDS: Fields = {
  arn: ["string", "note"],
  reason: ["string", "note"],
  detail: ["string", "note"],
};

const SERVICE_FIELDS: Fields = {
  serviceName: ["string", "note"],
  serviceArn: ["string", "note"],
  createdAt: ["timestamp", "error"],
};

const EVENT_FIELDS: Fields = {
  id: ["string", "note"],
  createdAt: ["timestamp", "error"],
  message: ["string", "error"],
};

const DEPLOYMENT_FIELDS: Fields = {
  id: ["string", "note"],
  status: ["string", "note"],
  taskDefinition: ["string", "note"],
  failedTasks: ["integer", "note"],
  rolloutState: ["string", "error"],
  rolloutStateReason: ["string", "error"],
  createdAt: ["timestamp", "error"],
  updatedAt: ["timestamp", "error"],
};

const CIRCUIT_BREAKER_FIELDS: Fields = {
  enable: ["boolean", "error"],
  rollback: ["boolean", "error"],
};

/** The CLI prints ISO 8601 text; CLI v1 and some tools print epoch seconds (or milliseconds). */
function toDate(v: string | number): Date | undefined {
  // Seconds below about year 5000, else already milliseconds.
  const d = typeof v === "number" ? new Date(v < 1e11 ? v * 1000 : v) : new Date(v);
  // Out of Date's range (±8.64e15 ms) is as bad as unparseable: `toISOString` would throw on it.
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The value as `kind`, or why it is not one. */
function convert(kind: Scalar, key: string, v: unknown): { value: unknown } | { wrong: string } {
  const wrongType = { wrong: `expected "${key}" to be ${EXPECTED[kind]}, got ${describeValue(v)}` };
  switch (kind) {
    case "string":
      return typeof v === "string" ? { value: v } : wrongType;
    case "boolean":
      return typeof v === "boolean" ? { value: v } : wrongType;
    case "integer":
      if (typeof v !== "number") return wrongType;
      return Number.isSafeInteger(v)
        ? { value: v }
        : { wrong: `expected "${key}" to be a whole number, got ${quoteShort(v)}` };
    case "timestamp": {
      const d = typeof v === "string" || typeof v === "number" ? toDate(v) : undefined;
      if (d !== undefined) return { value: d };
      const shown = typeof v === "string" || typeof v === "number" ? quoteShort(v) : describeValue(v);
      return { wrong: `expected ${TIMESTAMP}, got ${shown}` };
    }
  }
}

/** The listed fields of `obj`, checked; a wrong one fails or is noted and left out, as its entry says. */
function readFields(
  r: Reader,
  path: Path,
  obj: Record<string, unknown>,
  fields: Fields,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, [kind, onWrongType]] of Object.entries(fields)) {
    const raw = own(obj, key);
    if (raw === undefined || raw === null) continue;
    const result = convert(kind, key, raw);
    if ("value" in result) {
      out[key] = result.value;
    } else if (onWrongType === "error") {
      r.fail([...path, key], result.wrong, EXPECTED[kind]);
    } else {
      r.note([...path, key], `${result.wrong}; left out`);
    }
  }
  return out;
}

/** An object, or a located error naming what it should have been. */
function object(r: Reader, path: Path, v: unknown, what: string): Record<string, unknown> {
  if (!isObject(v)) r.fail(path, `expected ${what}, got ${describeValue(v)}`, what);
  return v;
}

/** An array field (absent is empty), each item read by `item`. */
function list<T>(
  r: Reader,
  path: Path,
  obj: Record<string, unknown>,
  key: string,
  item: (r: Reader, path: Path, v: unknown) => T,
): T[] | undefined {
  const v = own(obj, key);
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    r.fail([...path, key], `expected "${key}" to be an array, got ${describeValue(v)}`, "an array");
  }
  return v.map((x, i) => item(r, [...path, key, i], x));
}

function readContainer(r: Reader, path: Path, v: unknown): Record<string, unknown> {
  return readFields(r, path, object(r, path, v, "a container object (API_Container)"), CONTAINER_FIELDS);
}

export function readTask(r: Reader, path: Path, v: unknown): Task {
  const obj = object(r, path, v, "a task object (API_Task)");
  const task = readFields(r, path, obj, TASK_FIELDS);
  const containers = list(r, path, obj, "containers", readContainer);
  return (containers === undefined ? task : { ...task, containers }) as Task;
}

export function readFailure(r: Reader, path: Path, v: unknown): Failure {
  const obj = object(r, path, v, "a failure object (arn, reason, detail)");
  return readFields(r, path, obj, FAILURE_FIELDS) as Failure;
}

function readEvent(r: Reader, path: Path, v: unknown): ServiceEvent {
  const obj = object(r, path, v, "a service event object (id, createdAt, message)");
  return readFields(r, path, obj, EVENT_FIELDS) as ServiceEvent;
}

function readDeployment(r: Reader, path: Path, v: unknown): Deployment {
  const obj = object(r, path, v, "a deployment object (API_Deployment)");
  return readFields(r, path, obj, DEPLOYMENT_FIELDS) as Deployment;
}

/** `deploymentConfiguration.deploymentCircuitBreaker`: the only part of the configuration diagnose reads. */
function readDeploymentConfiguration(
  r: Reader,
  path: Path,
  obj: Record<string, unknown>,
): object | undefined {
  const config = own(obj, "deploymentConfiguration");
  if (config === undefined || config === null) return undefined;
  const cp = [...path, "deploymentConfiguration"];
  const breaker = own(object(r, cp, config, "a deployment configuration object"), "deploymentCircuitBreaker");
  if (breaker === undefined || breaker === null) return {};
  const bp = [...cp, "deploymentCircuitBreaker"];
  const b = object(r, bp, breaker, "a circuit breaker object (enable, rollback)");
  return { deploymentCircuitBreaker: readFields(r, bp, b, CIRCUIT_BREAKER_FIELDS) };
}

export function readService(r: Reader, path: Path, v: unknown): Service {
  const obj = object(r, path, v, "a service object (API_Service)");
  const service: Record<string, unknown> = readFields(r, path, obj, SERVICE_FIELDS);
  const events = list(r, path, obj, "events", readEvent);
  if (events !== undefined) service.events = events;
  const deployments = list(r, path, obj, "deployments", readDeployment);
  if (deployments !== undefined) service.deployments = deployments;
  const config = readDeploymentConfiguration(r, path, obj);
  if (config !== undefined) service.deploymentConfiguration = config;
  return service as Service;
}
