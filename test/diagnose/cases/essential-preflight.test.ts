import { essentialPreflight } from "../../../src/diagnose/cases/essential-preflight.js";
import { FIX, taskDefinition } from "../helpers.js";
import { caseTable, stopped, withEssential } from "./table.js";

const gated = taskDefinition(`${FIX}gated-taskdef.json`);
const containers = [
  { name: "log-router", image: "amazon/aws-for-fluent-bit:2.32.5", exitCode: 0 },
  { name: "log-router-preflight", exitCode: 0 },
  { name: "app", exitCode: 143 },
];

caseTable(essentialPreflight, [
  {
    name: "an essential preflight's exit 0 stopped the task",
    task: stopped(containers),
    options: { taskDefinition: withEssential(gated, "log-router-preflight", true) },
    applies: true,
    verdict: {
      kind: "essential-exited",
      summary:
        /^The preflight 'log-router-preflight' is essential, so its normal exit \(0\) stopped the task /,
      culprit: "log-router-preflight",
      prevention: ["FLP204", "fix"],
    },
  },
  {
    name: "a non-essential preflight's exit 0 stops nothing",
    task: stopped(containers),
    options: { taskDefinition: gated },
    applies: false,
    // The router's clean exit is then the only one that could have stopped the task.
    decidedBy: "router-exited",
  },
  {
    name: "an app failed first",
    task: stopped([...containers.slice(0, 2), { name: "app", exitCode: 1 }]),
    options: { taskDefinition: withEssential(gated, "log-router-preflight", true) },
    applies: false,
    decidedBy: "essential-exited",
  },
]);
