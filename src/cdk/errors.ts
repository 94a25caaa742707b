import type { IConstruct } from "constructs";

/**
 * A construct prop or task layout that could never give a working gate. Carries the construct path, the way
 * aws-cdk-lib's own (internal) `ValidationError` does, so the user sees which construct to fix.
 */
export class FireLensPreflightError extends Error {
  override readonly name = "FireLensPreflightError";
  /** Path of the construct the error is about. */
  readonly constructPath: string;

  constructor(message: string, scope: IConstruct) {
    super(`${message} (at ${scope.node.path})`);
    this.constructPath = scope.node.path;
  }
}
