import { gateFailed } from "../../../src/diagnose/cases/gate-failed.js";
import type { Task } from "../../../src/diagnose/types.js";
import { FIX, input, taskDefinition } from "../helpers.js";
import { CRASHING_ROUTER_IMAGE, caseTable, HELD, stopped } from "./table.js";

const gated = taskDefinition(`${FIX}gated-taskdef.json`);
const options = { taskDefinition: gated };
const deploy = input(`${FIX}gated-deploy-tasks.json`).tasks[0];
if (deploy === undefined) throw new Error("gated-deploy-tasks.json holds no task");

function gate(exitCode: number, reason?: string): Task {
  return stopped([
    { name: "log-router", image: CRASHING_ROUTER_IMAGE, exitCode: 0 },
    { name: "log-router-preflight", exitCode, reason },
    { name: "app", exitCode: 143, reason: HELD },
  ]);
}

caseTable(gateFailed, [
  {
    name: "the gated deploy's first task: the probe's result line in the reason",
    task: deploy,
    options,
    applies: true,
    verdict: {
      kind: "gate-failed",
      summary:
        /^The gate failed the task on purpose: the preflight 'log-router-preflight' exited 1 \(verification failed\) with "output datadog\.0 retried the probe records.*\(level reached: accepted\), so the agent never started 'app' \(exit 143, CannotStartContainerError\), and the task stopped before the app ever ran, so no request reached it\.$/,
      culprit: "log-router-preflight",
      traffic: "before",
      prevention: ["advice", "FLP202", "FLP212"],
    },
  },
  {
    name: "no reason: fix --probe-logs keeps the next one",
    task: gate(1),
    options,
    applies: true,
    verdict: { prevention: ["advice", "FLP202", "FLP212", "fix"] },
  },
  {
    name: "exit 2: the probe refused its configuration",
    task: gate(2, "bad --require"),
    options,
    applies: true,
    verdict: {
      summary:
        /^The gate stopped the task because the probe is misconfigured: the preflight 'log-router-preflight' exited 2 \(bad probe configuration\) with "bad --require"/,
      prevention: ["advice"],
    },
  },
  {
    name: "exit 3: the router never became reachable",
    task: gate(3, "router unreachable"),
    options,
    applies: true,
    verdict: {
      summary: /^The gate failed the task on purpose: .* exited 3 \(the router never became reachable\)/,
    },
  },
  {
    name: "killed by a signal, the app without an exit code",
    task: stopped([
      { name: "log-router-preflight", exitCode: 137 },
      { name: "app", lastStatus: "PENDING" },
    ]),
    options,
    applies: true,
    verdict: {
      summary:
        /^The gate failed the task: the preflight 'log-router-preflight' exited 137 \(SIGKILL\) \(killed by SIGKILL\), so the agent never started 'app', and/,
    },
  },
  {
    name: "the router crashed during the check: the crash decides",
    task: stopped([
      { name: "log-router", image: CRASHING_ROUTER_IMAGE, exitCode: 139 },
      { name: "log-router-preflight", exitCode: 1 },
      { name: "app", exitCode: 143, reason: HELD },
    ]),
    options,
    applies: true,
    decidedBy: "router-crash",
  },
  {
    name: "the gate passed",
    task: stopped([
      { name: "log-router-preflight", exitCode: 0 },
      { name: "app", exitCode: 1 },
    ]),
    options,
    applies: false,
    decidedBy: "essential-exited",
  },
]);
