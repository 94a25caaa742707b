/** `firelens-preflight/rules`: the catalogue, the engine, the renderers. */
export { DOCS_BASE, ruleById, ruleDocsUrl, rules } from "./catalogue.js";
export {
  atOrAbove,
  compareByPosition,
  compareBySeverity,
  countBySeverity,
  type FailOn,
  failsAt,
  formatMessage,
  type LintOptions,
  lintDocument,
  lintResult,
  parseSeverity,
  runRule,
  SEVERITIES,
  type SeverityCounts,
  severityRank,
  toJsonPath,
  worstSeverity,
} from "./engine.js";
export { formatJson, type JsonOptions } from "./format/json.js";
export { formatSarif, SARIF_SCHEMA_URI, type SarifOptions } from "./format/sarif.js";
export { formatText, type TextOptions } from "./format/text.js";
export type {
  Finding,
  LintFileResult,
  Report,
  Rule,
  RuleContext,
  RuleFamily,
  RuleMeta,
  Severity,
} from "./types.js";
