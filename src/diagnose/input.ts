/**
 * Reading what a user holds after a bad deploy: `aws ecs describe-tasks` output (also a bare task or task
 * array, and an EventBridge "ECS Task State Change" event, whose `detail` is a task), `aws ecs
 * describe-services` output, or one object holding both. Shapes follow the API reference:
 * API_DescribeTasks (`{tasks, failures}`), API_Task, API_Container, API_DescribeServices (`{services,
 * failures}`), API_Service, API_ServiceEvent, API_Deployment.
 *
 * Nothing here trusts the document: its nesting is measured before the (recursive) parser runs, and every
 * field diagnose reads is type-checked (`fields.ts`). Errors are `DiagnoseInputError`s, a `TaskDefError`
 * subclass, so the CLI reports them as it reports a bad task definition: located, one line, exit 2.
 */
import { getNodeValue, type ParseError, parseTree } from "jsonc-parser";
import {
  findExcessiveNesting,
  JSON_ERRORS,
  LineIndex,
  MAX_JSON_DEPTH,
  readSource,
  type Source,
  TaskDefError,
} from "../taskdef/index.js";
import { DiagnoseInputError, EXPECTED_DIAGNOSE_INPUT } from "./errors.js";
import { readFailure, readService, readTask } from "./fields.js";
import { describeValue, isObject, own, Reader } from "./reader.js";
import type { DiagnoseInput, Failure, Service, Task } from "./types.js";

function syntaxError(text: string, file: string, error: ParseError): DiagnoseInputError {
  const at = new LineIndex(text).position(error.offset);
  let detail = JSON_ERRORS[error.error] ?? "invalid JSON";
  if (error.error === 1 && error.offset < text.length) {
    detail = `unexpected character ${JSON.stringify(text.charAt(error.offset))}`;
  } else if (error.error === 4 && error.offset >= text.length) {
    detail = "unexpected end of file";
  }
  return new DiagnoseInputError({ inputKind: "syntax", file, detail, ...at });
}

function looksLikeTask(v: unknown): boolean {
  return isObject(v) && (typeof own(v, "taskArn") === "string" || Array.isArray(own(v, "containers")));
}

function looksLikeService(v: unknown): boolean {
  return (
    isObject(v) && (typeof own(v, "serviceName") === "string" || typeof own(v, "serviceArn") === "string")
  );
}

type Read = Omit<DiagnoseInput, "file" | "notes">;

function fromArray(r: Reader, value: readonly unknown[]): Read {
  if (value.length > 0 && value.every(looksLikeService) && !value.some(looksLikeTask)) {
    const services = value.map((s, i) => readService(r, [i], s));
    return { shape: "an array of services", tasks: [], failures: [], services };
  }
  const bad = value.findIndex((t) => !looksLikeTask(t));
  if (value.length === 0) return r.fail([], `empty array: expected ${EXPECTED_DIAGNOSE_INPUT}`);
  if (bad >= 0) {
    return r.fail(
      [bad],
      `expected a task (with "taskArn" or "containers"), got ${describeValue(value[bad])}; the input should be ${EXPECTED_DIAGNOSE_INPUT}`,
    );
  }
  const tasks = value.map((t, i) => readTask(r, [i], t));
  return { shape: "an array of tasks", tasks, failures: [], services: [] };
}

/** `{"tasks": […], "services": […], "failures": […]}`: describe-tasks or describe-services output, or both. */
function fromOutput(r: Reader, value: Record<string, unknown>): Read {
  const hasTasks = Object.hasOwn(value, "tasks");
  const hasServices = Object.hasOwn(value, "services");
  let tasks: Task[] = [];
  let services: Service[] = [];
  if (hasTasks) {
    const list = own(value, "tasks");
    if (!Array.isArray(list)) {
      r.fail(["tasks"], `expected "tasks" to be an array of tasks, got ${describeValue(list)}`);
    }
    tasks = list.map((t: unknown, i: number) => {
      if (isObject(t) && !looksLikeTask(t)) {
        r.fail(["tasks", i], `expected a task (with "taskArn" or "containers"), got ${describeValue(t)}`);
      }
      return readTask(r, ["tasks", i], t);
    });
  }
  if (hasServices) {
    const list = own(value, "services");
    if (!Array.isArray(list)) {
      r.fail(["services"], `expected "services" to be an array of services, got ${describeValue(list)}`);
    }
    services = list.map((s: unknown, i: number) => readService(r, ["services", i], s));
  }
  const shape =
    hasTasks && hasServices
      ? "describe-tasks and describe-services output"
      : hasTasks
        ? "describe-tasks output"
        : "describe-services output";
  return { shape, tasks, failures: readFailures(r, value), services };
}

function readFailures(r: Reader, value: Record<string, unknown>): Failure[] {
  const list = own(value, "failures");
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    r.fail(["failures"], `expected "failures" to be an array, got ${describeValue(list)}`, "an array");
  }
  return list.map((f: unknown, i: number) => readFailure(r, ["failures", i], f));
}

function fromObject(r: Reader, value: Record<string, unknown>): Read {
  if (Object.hasOwn(value, "tasks") || Object.hasOwn(value, "services")) return fromOutput(r, value);
  if (looksLikeTask(value)) {
    return { shape: "a task object", tasks: [readTask(r, [], value)], failures: [], services: [] };
  }
  const detail = own(value, "detail");
  if (looksLikeTask(detail)) {
    const tasks = [readTask(r, ["detail"], detail)];
    return { shape: "an EventBridge task state change event", tasks, failures: [], services: [] };
  }
  if (looksLikeService(value)) {
    return { shape: "a service object", tasks: [], failures: [], services: [readService(r, [], value)] };
  }
  if (["taskDefinition", "containerDefinitions", "Resources"].some((k) => Object.hasOwn(value, k))) {
    return r.fail(
      [],
      `this looks like a task definition, not a task: pass it as the task definition (--task-definition) and give ${EXPECTED_DIAGNOSE_INPUT}`,
    );
  }
  if (Object.hasOwn(value, "failures")) {
    return { shape: "describe-tasks output", tasks: [], failures: readFailures(r, value), services: [] };
  }
  return r.fail([], `expected ${EXPECTED_DIAGNOSE_INPUT}, got ${describeValue(value)}`);
}

/**
 * Parse one input file. Throws `DiagnoseInputError` (a `TaskDefError`) with file:line:column for JSON
 * syntax errors and nesting deeper than `MAX_JSON_DEPTH`, and with what was expected (and where, as a
 * JSON path) for JSON of another shape or a field of the wrong type. Values diagnose can do without are
 * left out with a located note instead (`notes`).
 */
export function parseDiagnoseInput(text: string, file: string): DiagnoseInput {
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  if (source.trim() === "") {
    throw new DiagnoseInputError({ inputKind: "syntax", file, detail: "empty document", line: 1, column: 1 });
  }
  const deep = findExcessiveNesting(source);
  if (deep !== undefined) {
    throw new DiagnoseInputError({
      inputKind: "too-deep",
      file,
      detail: `nested deeper than ${MAX_JSON_DEPTH} arrays and objects; no ECS output comes close, so the input is refused`,
      ...new LineIndex(source).position(deep.offset),
    });
  }
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first !== undefined) throw syntaxError(source, file, first);
  if (root === undefined) {
    throw new DiagnoseInputError({ inputKind: "syntax", file, detail: "empty document", line: 1, column: 1 });
  }
  const r = new Reader(source, file, root);
  const value: unknown = getNodeValue(root);
  const read = Array.isArray(value)
    ? fromArray(r, value)
    : isObject(value)
      ? fromObject(r, value)
      : r.fail([], `expected ${EXPECTED_DIAGNOSE_INPUT}, got ${describeValue(value)}`);
  return { file, ...read, notes: r.notes };
}

/** Several inputs (tasks file, services file) as one. */
export function mergeDiagnoseInputs(inputs: readonly DiagnoseInput[]): DiagnoseInput {
  return {
    file: inputs.map((i) => i.file).join(", "),
    shape: [...new Set(inputs.map((i) => i.shape))].join(" + "),
    tasks: inputs.flatMap((i) => i.tasks),
    failures: inputs.flatMap((i) => i.failures),
    services: inputs.flatMap((i) => i.services),
    notes: inputs.flatMap((i) => i.notes),
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
