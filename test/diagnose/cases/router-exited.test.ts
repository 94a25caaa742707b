import { routerExited } from "../../../src/diagnose/cases/router-exited.js";
import { caseTable, stopped } from "./table.js";

const router = { name: "log-router", image: "fluent/fluent-bit:4.2.8" };

caseTable(routerExited, [
  {
    name: "exit 1 after the app ran: gate the apps",
    task: stopped([
      { ...router, exitCode: 1 },
      { name: "web", exitCode: 143 },
    ]),
    applies: true,
    verdict: {
      kind: "router-exited",
      summary:
        /^The log router 'log-router' exited 1 \(not a crash signature\) and, being essential \(inferred: .*\), stopped the task probably after it could take traffic/,
      culprit: "log-router",
      traffic: "likely-after",
      prevention: ["FLP201", "fix"],
    },
  },
  {
    name: "exit 1 before any app ran: read the router's logs",
    task: stopped([
      { ...router, exitCode: 1 },
      { name: "web", lastStatus: "PENDING" },
    ]),
    applies: true,
    verdict: { traffic: "before", prevention: ["advice"] },
  },
  {
    name: "a crash signature is the router-crash case's",
    task: stopped([
      { ...router, exitCode: 139 },
      { name: "web", exitCode: 143 },
    ]),
    applies: true,
    decidedBy: "router-crash",
  },
  {
    name: "the router exited cleanly after the app failed",
    task: stopped([
      { ...router, exitCode: 0 },
      { name: "web", exitCode: 1 },
    ]),
    applies: false,
    decidedBy: "essential-exited",
  },
]);
