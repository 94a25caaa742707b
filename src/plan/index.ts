export {
  type Blocked,
  buildStartupPlan,
  type Condition,
  consequencesOfExit,
  gateVerdict,
  type StartupEdge,
  type StartupNode,
  type StartupPlan,
  type StopConsequence,
} from "./graph.js";
export { renderPlanDot, renderPlanMermaid, renderPlanText } from "./render.js";
