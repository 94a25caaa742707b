/**
 * The project config file: which files to check, rules to disable, severity overrides, the failing threshold,
 * suppressions with reasons, and `fix` defaults. One schema for every place it can live (a
 * `firelens-preflight.config.{json,yaml,yml}` file, or the `"firelens-preflight"` key of package.json).
 */
import * as v from "valibot";
import {
  CONTAINER_NAME_PATTERN,
  DURATION_EXAMPLES,
  durationProblem,
  durationRangeText,
} from "../probe/contract.js";

const RULE_ID = v.pipe(v.string(), v.regex(/^FLP\d{3}$/i, "a rule id such as FLP203"), v.toUpperCase());
const SEVERITY = v.picklist(["error", "warning", "note"], 'one of "error", "warning", "note"');
/** Reasons shorter than this say nothing (cdk-nag's rule, as on the command line). */
export const MIN_REASON_LENGTH = 10;

const SuppressionSchema = v.strictObject({
  /** The rule it acknowledges. */
  id: RULE_ID,
  /** Why the finding is accepted; required, like cdk-nag's. */
  reason: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(MIN_REASON_LENGTH, `a reason of at least ${MIN_REASON_LENGTH} characters`),
  ),
  /** Limit it to findings about these containers. */
  containers: v.optional(
    v.array(v.pipe(v.string(), v.regex(CONTAINER_NAME_PATTERN, "an ECS container name"))),
  ),
  /** Limit it to these files (globs, relative to the config file's directory). */
  files: v.optional(v.array(v.pipe(v.string(), v.minLength(1, "a glob")))),
});

/** The probe's deadline as the probe accepts it (grammar and range from its contract). */
const DURATION = v.pipe(
  v.string(),
  v.check(
    (s) => durationProblem("deadline", s) === undefined,
    `a duration such as ${DURATION_EXAMPLES}, ${durationRangeText("deadline")} (the probe refuses others)`,
  ),
);

export const ConfigSchema = v.strictObject({
  /** Globs of files to check when the command names none (relative to the config file's directory). */
  include: v.optional(v.array(v.pipe(v.string(), v.minLength(1, "a glob")))),
  /** Globs never checked, even when a directory or glob given on the command line contains them. */
  exclude: v.optional(v.array(v.pipe(v.string(), v.minLength(1, "a glob")))),
  rules: v.optional(
    v.strictObject({
      /** Rules that do not run. */
      disable: v.optional(v.array(RULE_ID)),
      /** Severity per rule, instead of the rule's own. */
      severity: v.optional(v.record(RULE_ID, SEVERITY)),
    }),
  ),
  /** Exit 1 on findings at or above this severity. */
  failOn: v.optional(
    v.picklist(["error", "warning", "note", "none"], 'one of "error", "warning", "note", "none"'),
  ),
  suppress: v.optional(v.array(SuppressionSchema)),
  fix: v.optional(
    v.strictObject({
      probeImage: v.optional(v.pipe(v.string(), v.minLength(1, "an image reference"))),
      name: v.optional(v.pipe(v.string(), v.regex(CONTAINER_NAME_PATTERN, "an ECS container name"))),
      timeout: v.optional(DURATION),
      /** Gate a task whose router is non-essential too (`fix --gate-non-essential-router`). */
      gateNonEssentialRouter: v.optional(v.boolean("true or false")),
    }),
  ),
});

export type ProjectConfig = v.InferOutput<typeof ConfigSchema>;
export type ConfigSuppression = NonNullable<ProjectConfig["suppress"]>[number];
