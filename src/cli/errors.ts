/** Exit codes shared by every command (DESIGN.md, style.md §8). */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  internal: 3,
} as const;

/** A problem with what the user asked for: printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
