export { renderPlanDot } from "./dot.js";
export {
  type Blocked,
  type BranchStartup,
  buildStartupPlan,
  type Condition,
  type ConditionalStartup,
  type ContainerFate,
  consequencesOfExit,
  gateVerdict,
  type StartupEdge,
  type StartupNode,
  type StartupPlan,
  type StopConsequence,
} from "./graph.js";
export { renderPlanMermaid } from "./mermaid.js";
export { renderPlanText } from "./render.js";
export { scenarioHeading, scenarioOutcome, scenariosOf } from "./scenario.js";
export {
  planOfTaskDefinition,
  plansOfDocument,
  type StartupSummary,
  type StartupWay,
  startupSummaries,
  startupSummaryLines,
  startupVerdictLine,
} from "./summary.js";
