/**
 * Exit codes shared by every command, and the CLI's own typed errors. Commands throw; one boundary
 * (`describeError` in `boundary.ts`) turns every error into an exit code and a message.
 */
export const ExitCode = {
  /** Clean, or verified. */
  ok: 0,
  /** Findings at or above `--fail-on` (or a failed probe, an interrupted simulation). */
  findings: 1,
  /** Bad usage, or input or output the command cannot use: the message says which and why. */
  usage: 2,
  /** A bug in firelens-preflight: printed with its stack, to be reported. */
  internal: 3,
} as const;

/** A problem with what the user asked for (a flag's value, a combination): exit 2 with the command's usage line. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** An input that cannot be read as given: missing, a device, too large. Exit 2; `message` names the file. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** An output that cannot be written (a missing directory, a full or read-only disk). Exit 2; data is intact. */
export class OutputError extends Error {
  override readonly name = "OutputError";
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot write ${file}: ${reason}`, options);
  }
}

/** The process was asked to stop (Ctrl-C, SIGTERM) while it was writing; what it wrote was undone. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; nothing was written`);
  }
}

/** The reason of a failed file operation in words, from its errno code. */
export function ioReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "ENOTDIR":
      return "a component of the path is not a directory";
    case "EISDIR":
      return "is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EFBIG":
      return "file too large";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENAMETOOLONG":
      return "file name too long";
    case "EXDEV":
      return "on another file system";
    case "EIO":
      return "input/output error";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
