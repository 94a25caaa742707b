import type { GateOptions } from "./options.js";

/** Why `fix` refused to write a document. The message is complete and names the file. */
export type FixErrorKind =
  /** A new preflight container is needed and no `probeImage` was given (nor found in the file). */
  | "missing-probe-image"
  /** The task's cpu/memory cannot hold the preflight's reservation. */
  | "budget"
  /** An option names something the document does not have, or a value the gate cannot use. */
  | "bad-option"
  /** A field that must change is an intrinsic or has a shape we will not rewrite. */
  | "unsupported";

/** The `GateOptions` field an error is about. */
export type FixErrorOption = keyof GateOptions;

export class FixError extends Error {
  readonly kind: FixErrorKind;
  readonly file: string;
  /** The option the caller should change, when the error is about one (`probeImage`, `gate`, …). */
  readonly option: FixErrorOption | undefined;
  /** What is wrong, without the file; `{option}` stands where the option is named. */
  readonly detail: string;

  constructor(kind: FixErrorKind, file: string, detail: string, option?: FixErrorOption) {
    super(`${file}: ${option === undefined ? detail : detail.replaceAll("{option}", option)}`);
    this.name = "FixError";
    this.kind = kind;
    this.file = file;
    this.option = option;
    this.detail = detail;
  }

  /** The message with the option named as the caller's own interface names it (a CLI flag, a prop). */
  describe(nameOf: (option: FixErrorOption) => string): string {
    const option = this.option;
    return `${this.file}: ${option === undefined ? this.detail : this.detail.replaceAll("{option}", nameOf(option))}`;
  }
}
