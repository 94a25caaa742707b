/** `firelens-preflight/rules`: the catalogue, the engine, the renderers. */
export { DOCS_BASE, ruleById, ruleDocsUrl, rules } from "./catalogue.js";
export {
  atOrAbove,
  compareByPosition,
  compareBySeverity,
  type FailOn,
  failsAt,
  formatMessage,
  type LintOptions,
  lintDocument,
  parseSeverity,
  runRule,
  SEVERITIES,
  severityRank,
  toJsonPath,
  worstSeverity,
} from "./engine.js";
export type { Finding, Report, Rule, RuleContext, RuleFamily, RuleMeta, Severity } from "./types.js";
