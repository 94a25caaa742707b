/**
 * Reading what a user holds after a bad deploy: `aws ecs describe-tasks` output (also a bare task or task
 * array, and an EventBridge "ECS Task State Change" event, whose `detail` is a task), `aws ecs
 * describe-services` output, or one object holding both. Shapes follow the API reference:
 * API_DescribeTasks (`{tasks, failures}`), API_Task, API_Container, API_DescribeServices (`{services,
 * failures}`), API_Service, API_ServiceEvent, API_Deployment.
 *
 * Errors are `TaskDefError`s (the subclass below), so the CLI reports them as it reports a bad task
 * definition: located, one line, exit 2.
 */
import { findNodeAtLocation, getNodeValue, type Node, type ParseError, parseTree } from "jsonc-parser";
import { JSON_ERRORS, LineIndex, readSource, type Source, TaskDefError } from "../taskdef/index.js";
import type { Deployment, DiagnoseInput, Failure, Service, ServiceEvent, Task } from "./types.js";

export const EXPECTED_DIAGNOSE_INPUT =
  'aws ecs describe-tasks output ({"tasks": [...], "failures": [...]}), a task object or an array of tasks, or aws ecs describe-services output ({"services": [...]})';

export type DiagnoseInputErrorKind = "syntax" | "unexpected-shape" | "io";

/**
 * A bad diagnose input. It extends the task-definition core's error so every command reports bad input
 * the same way; `inputKind` says which of the two problems it is (the base `kind` cannot name the second).
 */
export class DiagnoseInputError extends TaskDefError {
  readonly inputKind: DiagnoseInputErrorKind;

  constructor(init: {
    inputKind: DiagnoseInputErrorKind;
    file: string;
    detail: string;
    line?: number;
    column?: number;
    cause?: unknown;
  }) {
    super({
      kind: init.inputKind === "unexpected-shape" ? "not-a-task-definition" : init.inputKind,
      file: init.file,
      detail: init.detail,
      line: init.line,
      column: init.column,
      cause: init.cause,
      expected: init.inputKind === "unexpected-shape" ? EXPECTED_DIAGNOSE_INPUT : undefined,
    });
    this.name = "DiagnoseInputError";
    this.inputKind = init.inputKind;
  }
}

const TASK_TIMESTAMPS = [
  "connectivityAt",
  "createdAt",
  "executionStoppedAt",
  "pullStartedAt",
  "pullStoppedAt",
  "startedAt",
  "stoppedAt",
  "stoppingAt",
] as const;

type Path = Array<string | number>;

class Reader {
  private readonly lines: LineIndex;

  constructor(
    readonly text: string,
    readonly file: string,
    readonly root: Node,
  ) {
    this.lines = new LineIndex(text);
  }

  position(offset: number): { line: number; column: number } {
    return this.lines.position(offset);
  }

  fail(path: Path, detail: string): never {
    let node: Node | undefined;
    for (let n = path.length; n >= 0 && node === undefined; n--) {
      node = findNodeAtLocation(this.root, path.slice(0, n));
    }
    const at = this.position(node?.offset ?? 0);
    throw new DiagnoseInputError({ inputKind: "unexpected-shape", file: this.file, detail, ...at });
  }
}

function syntaxError(text: string, file: string, error: ParseError): DiagnoseInputError {
  const reader = new Reader(text, file, { type: "null", offset: 0, length: 0 } as Node);
  const at = reader.position(error.offset);
  let detail = JSON_ERRORS[error.error] ?? "invalid JSON";
  if (error.error === 1 && error.offset < text.length) {
    detail = `unexpected character ${JSON.stringify(text.charAt(error.offset))}`;
  } else if (error.error === 4 && error.offset >= text.length) {
    detail = "unexpected end of file";
  }
  return new DiagnoseInputError({ inputKind: "syntax", file, detail, ...at });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    const keys = Object.keys(v as object);
    if (keys.length === 0) return "an empty object";
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(k));
    return `an object with keys ${shown.join(", ")}${keys.length > 5 ? ", …" : ""}`;
  }
  return `a ${typeof v}`;
}

/** The CLI prints ISO 8601 strings; CLI v1 and some tools print epoch seconds. */
function toDate(r: Reader, path: Path, v: unknown): Date | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v;
  if (typeof v === "number" && Number.isFinite(v)) {
    // Seconds below about year 5000, else already milliseconds.
    return new Date(v < 1e11 ? v * 1000 : v);
  }
  if (typeof v === "string") {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return r.fail(path, `expected a timestamp (ISO 8601 text or epoch seconds), got ${JSON.stringify(v)}`);
}

function looksLikeTask(v: unknown): boolean {
  return isObject(v) && (typeof v.taskArn === "string" || Array.isArray(v.containers));
}

function looksLikeService(v: unknown): boolean {
  return isObject(v) && (typeof v.serviceName === "string" || typeof v.serviceArn === "string");
}

function readTask(r: Reader, path: Path, v: unknown): Task {
  if (!isObject(v)) r.fail(path, `expected a task object (API_Task), got ${describeValue(v)}`);
  const task: Record<string, unknown> = { ...v };
  for (const key of TASK_TIMESTAMPS) {
    if (key in task) task[key] = toDate(r, [...path, key], task[key]);
  }
  if (task.containers !== undefined) {
    if (!Array.isArray(task.containers)) {
      r.fail(
        [...path, "containers"],
        `expected "containers" to be an array, got ${describeValue(task.containers)}`,
      );
    }
    task.containers = task.containers.map((c: unknown, i: number) => {
      const cp = [...path, "containers", i];
      if (!isObject(c)) r.fail(cp, `expected a container object (API_Container), got ${describeValue(c)}`);
      if (c.exitCode !== undefined && c.exitCode !== null && typeof c.exitCode !== "number") {
        r.fail([...cp, "exitCode"], `expected "exitCode" to be a number, got ${describeValue(c.exitCode)}`);
      }
      return c;
    });
  }
  return task as Task;
}

function readFailures(r: Reader, path: Path, v: unknown): Failure[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) r.fail(path, `expected "failures" to be an array, got ${describeValue(v)}`);
  return v.map((f, i) => {
    if (!isObject(f))
      r.fail([...path, i], `expected a failure object (arn, reason, detail), got ${describeValue(f)}`);
    return f as Failure;
  });
}

function readService(r: Reader, path: Path, v: unknown): Service {
  if (!isObject(v)) r.fail(path, `expected a service object (API_Service), got ${describeValue(v)}`);
  const svc: Record<string, unknown> = { ...v };
  if ("createdAt" in svc) svc.createdAt = toDate(r, [...path, "createdAt"], svc.createdAt);
  if (svc.events !== undefined) {
    if (!Array.isArray(svc.events)) r.fail([...path, "events"], `expected "events" to be an array`);
    svc.events = svc.events.map((e: unknown, i: number): ServiceEvent => {
      const ep = [...path, "events", i];
      if (!isObject(e))
        r.fail(ep, `expected a service event object (id, createdAt, message), got ${describeValue(e)}`);
      return { ...e, createdAt: toDate(r, [...ep, "createdAt"], e.createdAt) } as ServiceEvent;
    });
  }
  if (svc.deployments !== undefined) {
    if (!Array.isArray(svc.deployments))
      r.fail([...path, "deployments"], `expected "deployments" to be an array`);
    svc.deployments = svc.deployments.map((d: unknown, i: number): Deployment => {
      const dp = [...path, "deployments", i];
      if (!isObject(d)) r.fail(dp, `expected a deployment object (API_Deployment), got ${describeValue(d)}`);
      return {
        ...d,
        createdAt: toDate(r, [...dp, "createdAt"], d.createdAt),
        updatedAt: toDate(r, [...dp, "updatedAt"], d.updatedAt),
      } as Deployment;
    });
  }
  return svc as Service;
}

/**
 * Parse one input file. Throws `DiagnoseInputError` (a `TaskDefError`) with file:line:column for JSON
 * syntax errors, and with what was expected for JSON of another shape.
 */
export function parseDiagnoseInput(text: string, file: string): DiagnoseInput {
  const errors: ParseError[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  if (source.trim() === "") {
    throw new DiagnoseInputError({ inputKind: "syntax", file, detail: "empty document", line: 1, column: 1 });
  }
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first !== undefined) throw syntaxError(source, file, first);
  if (root === undefined) {
    throw new DiagnoseInputError({ inputKind: "syntax", file, detail: "empty document", line: 1, column: 1 });
  }
  const r: Reader = new Reader(source, file, root);
  const value: unknown = getNodeValue(root);

  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(looksLikeService) && !value.some(looksLikeTask)) {
      return {
        file,
        shape: "an array of services",
        tasks: [],
        failures: [],
        services: value.map((s, i) => readService(r, [i], s)),
      };
    }
    if (value.length === 0 || !value.every(looksLikeTask)) {
      const bad = value.findIndex((t) => !looksLikeTask(t));
      return r.fail(
        bad < 0 ? [] : [bad],
        bad < 0
          ? `empty array: expected ${EXPECTED_DIAGNOSE_INPUT}`
          : `expected a task (with "taskArn" or "containers"), got ${describeValue(value[bad])}; the input should be ${EXPECTED_DIAGNOSE_INPUT}`,
      );
    }
    return {
      file,
      shape: "an array of tasks",
      tasks: value.map((t, i) => readTask(r, [i], t)),
      failures: [],
      services: [],
    };
  }
  if (!isObject(value)) {
    return r.fail([], `expected ${EXPECTED_DIAGNOSE_INPUT}, got ${describeValue(value)}`);
  }

  const hasTasks = "tasks" in value;
  const hasServices = "services" in value;
  if (hasTasks || hasServices) {
    let tasks: Task[] = [];
    let services: Service[] = [];
    if (hasTasks) {
      if (!Array.isArray(value.tasks)) {
        r.fail(["tasks"], `expected "tasks" to be an array of tasks, got ${describeValue(value.tasks)}`);
      }
      tasks = value.tasks.map((t: unknown, i: number) => {
        if (isObject(t) && !looksLikeTask(t)) {
          r.fail(["tasks", i], `expected a task (with "taskArn" or "containers"), got ${describeValue(t)}`);
        }
        return readTask(r, ["tasks", i], t);
      });
    }
    if (hasServices) {
      if (!Array.isArray(value.services)) {
        r.fail(
          ["services"],
          `expected "services" to be an array of services, got ${describeValue(value.services)}`,
        );
      }
      services = value.services.map((s: unknown, i: number) => readService(r, ["services", i], s));
    }
    const shape =
      hasTasks && hasServices
        ? "describe-tasks and describe-services output"
        : hasTasks
          ? "describe-tasks output"
          : "describe-services output";
    return { file, shape, tasks, failures: readFailures(r, ["failures"], value.failures), services };
  }
  if (looksLikeTask(value)) {
    return { file, shape: "a task object", tasks: [readTask(r, [], value)], failures: [], services: [] };
  }
  if (isObject(value.detail) && looksLikeTask(value.detail)) {
    return {
      file,
      shape: "an EventBridge task state change event",
      tasks: [readTask(r, ["detail"], value.detail)],
      failures: [],
      services: [],
    };
  }
  if (looksLikeService(value)) {
    return {
      file,
      shape: "a service object",
      tasks: [],
      failures: [],
      services: [readService(r, [], value)],
    };
  }
  if ("taskDefinition" in value || "containerDefinitions" in value || "Resources" in value) {
    return r.fail(
      [],
      `this looks like a task definition, not a task: pass it as the task definition (--task-definition) and give ${EXPECTED_DIAGNOSE_INPUT}`,
    );
  }
  if ("failures" in value) {
    return {
      file,
      shape: "describe-tasks output",
      tasks: [],
      failures: readFailures(r, ["failures"], value.failures),
      services: [],
    };
  }
  return r.fail([], `expected ${EXPECTED_DIAGNOSE_INPUT}, got ${describeValue(value)}`);
}

/** Several inputs (tasks file, services file) as one. */
export function mergeDiagnoseInputs(inputs: readonly DiagnoseInput[]): DiagnoseInput {
  return {
    file: inputs.map((i) => i.file).join(", "),
    shape: [...new Set(inputs.map((i) => i.shape))].join(" + "),
    tasks: inputs.flatMap((i) => i.tasks),
    failures: inputs.flatMap((i) => i.failures),
    services: inputs.flatMap((i) => i.services),
  };
}

/**
 * Read a file (or stdin for `-`, shown as `<stdin>`) and parse it. I/O failures are `DiagnoseInputError`
 * kind `io`, like the task-definition loader's.
 */
export async function loadDiagnoseInput(pathOrDash: string): Promise<DiagnoseInput> {
  let source: Source;
  try {
    source = await readSource(pathOrDash);
  } catch (cause) {
    if (!(cause instanceof TaskDefError)) throw cause;
    throw new DiagnoseInputError({ inputKind: "io", file: cause.file, detail: cause.detail, cause });
  }
  return parseDiagnoseInput(source.text, source.file);
}
