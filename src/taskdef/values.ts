import type { Intrinsic } from "./model.js";

export type { Intrinsic };

/** True for a CloudFormation intrinsic placed in the view by the template loaders. */
export function isIntrinsic(value: unknown): value is Intrinsic {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "intrinsic" &&
    typeof (value as { fn?: unknown }).fn === "string"
  );
}

/**
 * The value when it is known at lint time, `undefined` when it is missing or an intrinsic. Rules read
 * every view field through this, because template fields may hold an `Intrinsic` whatever the SDK type says.
 */
export function literal<T>(value: T | Intrinsic | undefined): T | undefined {
  if (value === undefined || isIntrinsic(value)) return undefined;
  return value;
}

/** Build an `Intrinsic` (tests, CDK adapter). */
export function intrinsic(fn: string, argument: unknown): Intrinsic {
  return { kind: "intrinsic", fn, argument };
}
