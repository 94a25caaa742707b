import { heldBack } from "../../../src/diagnose/cases/held-back.js";
import { caseTable, HELD, stopped } from "./table.js";

caseTable(heldBack, [
  {
    name: "an app held back with no preflight in the list",
    task: stopped([
      { name: "log-router", exitCode: 0 },
      { name: "app", exitCode: 143, reason: HELD },
    ]),
    applies: true,
    verdict: {
      kind: "held-back",
      summary:
        "'app' was held back by the gate, as designed: the agent stopped it with exit 143 and CannotStartContainerError because a container it depends on did not succeed, so the task stopped before the app ever ran, so no request reached it.",
      culprit: "app",
      traffic: "before",
      prevention: ["advice", "FLP208"],
    },
  },
  {
    name: "two held back",
    task: stopped([
      { name: "app", exitCode: 143, reason: HELD },
      { name: "worker", reason: "dependency graph: container ordering dependency unresolved" },
    ]),
    applies: true,
    verdict: {
      summary:
        /^'app' and 'worker' were held back by the gate, as designed: the agent stopped them .* they depend on/,
    },
  },
  {
    name: "a failed preflight in view: the gate's own case",
    task: stopped([
      { name: "log-router-preflight", exitCode: 1 },
      { name: "app", exitCode: 143, reason: HELD },
    ]),
    applies: false,
    decidedBy: "gate-failed",
  },
  {
    name: "a worker crashed first",
    task: stopped([
      { name: "worker", exitCode: 139 },
      { name: "app", exitCode: 143, reason: HELD },
    ]),
    applies: false,
    decidedBy: "essential-exited",
  },
]);
