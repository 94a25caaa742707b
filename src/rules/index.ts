/** `firelens-preflight/rules`: the catalogue, the engine, the renderers. */

// The readers the rules share with every part live below them (model, taskdef); kept here for this subpath's users.
export {
  compareVersions,
  formatVersion,
  type RouterImage,
  routerImage,
  type Version,
} from "../model/index.js";
export { toJsonPath } from "../taskdef/index.js";
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
  MIN_SUPPRESSION_REASON,
  parseSeverity,
  parseSuppression,
  runRule,
  SEVERITIES,
  type SeverityCounts,
  SuppressionError,
  severityRank,
  suppressionMatches,
  unusedSuppressions,
  worstSeverity,
} from "./engine.js";
export { escapeData, escapeProperty, formatGithub, type GithubOptions } from "./format/github.js";
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
  Suppression,
} from "./types.js";
export { defineRule } from "./types.js";
