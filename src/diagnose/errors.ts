/** The one error diagnose's reader throws, and what it says it expected. */
import { TaskDefError } from "../taskdef/index.js";

export const EXPECTED_DIAGNOSE_INPUT =
  'aws ecs describe-tasks output ({"tasks": [...], "failures": [...]}), a task object or an array of tasks, or aws ecs describe-services output ({"services": [...]})';

/**
 * `syntax`: not JSON; `too-deep`: nested beyond `MAX_JSON_DEPTH`; `unexpected-shape`: JSON, but not of a
 * shape diagnose reads, or a field of the wrong type; `io`: the file could not be read.
 */
export type DiagnoseInputErrorKind = "syntax" | "too-deep" | "unexpected-shape" | "io";

/**
 * A bad diagnose input. It extends the task-definition core's error so every command reports bad input
 * the same way; `inputKind` says which of the problems it is (the base `kind` cannot name them all).
 * The message is `file:line:column: detail`; `jsonPath` and `expected` carry the rest as data.
 */
export class DiagnoseInputError extends TaskDefError {
  readonly inputKind: DiagnoseInputErrorKind;
  /** Where in the document, as `$.tasks[0].containers[1].exitCode`, when the problem is a value. */
  readonly jsonPath: string | undefined;

  constructor(init: {
    inputKind: DiagnoseInputErrorKind;
    file: string;
    detail: string;
    line?: number;
    column?: number;
    jsonPath?: string;
    /** What the value at `jsonPath` should have been; the whole input's expected shape by default. */
    expected?: string;
    cause?: unknown;
  }) {
    super({
      kind:
        init.inputKind === "unexpected-shape"
          ? "not-a-task-definition"
          : init.inputKind === "too-deep"
            ? "syntax"
            : init.inputKind,
      file: init.file,
      detail: init.detail,
      line: init.line,
      column: init.column,
      cause: init.cause,
      expected:
        init.expected ?? (init.inputKind === "unexpected-shape" ? EXPECTED_DIAGNOSE_INPUT : undefined),
    });
    this.name = "DiagnoseInputError";
    this.inputKind = init.inputKind;
    this.jsonPath = init.jsonPath;
  }
}
