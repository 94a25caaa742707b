/** Why `fix` refused to write a document. The message is complete and names the file. */
export type FixErrorKind =
  /** A new preflight container is needed and no `--probe-image` was given (nor found in the file). */
  | "missing-probe-image"
  /** The task's cpu/memory cannot hold the preflight's reservation. */
  | "budget"
  /** An option names something the document does not have, or a value the gate cannot use. */
  | "bad-option"
  /** A field that must change is an intrinsic or has a shape we will not rewrite. */
  | "unsupported";

export class FixError extends Error {
  readonly kind: FixErrorKind;
  readonly file: string;

  constructor(kind: FixErrorKind, file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = "FixError";
    this.kind = kind;
    this.file = file;
  }
}
