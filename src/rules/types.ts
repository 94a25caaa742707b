/**
 * The rule contract (the shape cdk-nag and ESLint give their rules): one rule per file exporting a `Rule` made
 * with `defineRule`, a pure `check`, wording only in `meta.messages`, and message ids typed from those messages.
 */
import type { TaskReading } from "../model/index.js";
import type {
  JsonPath,
  ServiceView,
  SourceLocation,
  TaskDefinitionDocument,
  TaskDefinitionView,
} from "../taskdef/model.js";

export type Severity = "error" | "warning" | "note";

/** `FLP1xx` ECS would reject / never satisfy; `FLP2xx` deploy safety; `FLP3xx` security and hygiene. */
export type RuleFamily = "validity" | "deploy-safety" | "security";

export interface RuleMeta<M extends string = string> {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly family: RuleFamily;
  /** Why the rule exists, in a few sentences. */
  readonly rationale: string;
  /** URLs of the AWS documentation page, agent or Fluent Bit issue the rule rests on. */
  readonly sources: readonly string[];
  /** What to change, for a human. */
  readonly fixHint: string;
  /** `gate` when `firelens-preflight fix` repairs it. */
  readonly fixable?: "gate";
  /** Message templates by id; `{{name}}` placeholders are filled from the report's `data`. */
  readonly messages: Readonly<Record<M, string>>;
  /**
   * Severity of single messages when it differs from `severity` (a rule that can say "known bad" and
   * "cannot tell" reports the second one lower).
   */
  readonly messageSeverities?: Readonly<Partial<Record<M, Severity>>>;
}

export interface Report<M extends string = string> {
  readonly messageId: M;
  readonly data?: Readonly<Record<string, string | number>>;
  /** camelCase path relative to the task definition being checked (`["containerDefinitions", 1, "essential"]`). */
  readonly path?: JsonPath;
  /** Raw path in the document; use for services (`ServiceView.path`). Wins over `path`. */
  readonly rawPath?: JsonPath;
  /** Text offset, for what no path reaches (a comment). Wins over both paths. */
  readonly offset?: number;
  /** Container the finding is about, for suppressions like `FLP201[app]`. */
  readonly container?: string;
}

export interface RuleContext<M extends string = string> {
  readonly document: TaskDefinitionDocument;
  readonly taskDefinition: TaskDefinitionView;
  /** The one reading of this task every part shares (roles, start edges, deploy-time values). */
  readonly task: TaskReading;
  /** Services in the same template that run this task definition (templates only). */
  readonly services: readonly ServiceView[];
  report(report: Report<M>): void;
}

export interface Rule<M extends string = string> {
  readonly meta: RuleMeta<M>;
  check(context: RuleContext<M>): void;
}

/**
 * Declares a rule with its message ids typed from its own `meta.messages`: a report with an id the rule does
 * not define fails the type check instead of becoming an internal-error finding at run time.
 */
export function defineRule<const M extends string>(rule: Rule<M>): Rule {
  return rule as unknown as Rule;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly messageId: string;
  readonly taskDefinition: string;
  readonly container?: string;
  readonly location: SourceLocation;
  /** Raw JSON path, as a JSONPath-like string (`$.containerDefinitions[1].essential`). */
  readonly jsonPath: string;
  readonly fixHint: string;
  /** Raw path in the document (keys as spelled in the file), for logical locations and fingerprints. */
  readonly rawPath?: JsonPath;
  /** Set when the rule itself failed: the finding reports our bug, not the user's. */
  readonly internalError?: boolean;
  /** Set when a suppression matched: the finding is still reported, with the reason, but fails nothing. */
  readonly suppressed?: { readonly reason: string };
}

/**
 * Accepting one rule's findings on purpose: `FLP203`, or one finding such as
 * `FLP203[log-router]` (the container it is about), always with a written reason.
 */
export interface Suppression {
  readonly id: string;
  readonly reason: string;
  /** Container names the suppression is limited to; all findings of the rule when absent. */
  readonly appliesTo?: readonly string[];
}

/** One file's outcome, as the renderers take it. */
export interface LintFileResult {
  readonly file: string;
  /**
   * The source text, for the offending lines in text output and SARIF regions: as printed, so with every
   * plain secret masked character for character (`maskedDocumentText`; `lintResult` does it).
   */
  readonly text?: string;
  /** Detected document format (`ecs-json`, `cloudformation-yaml`, …). */
  readonly format?: string;
  readonly findings: readonly Finding[];
  /** The file could not be loaded; `findings` is then empty. */
  readonly error?: { readonly message: string; readonly line?: number; readonly column?: number };
}
