import { essentialExited } from "../../../src/diagnose/cases/essential-exited.js";
import { SEED_TASKDEF, taskDefinition } from "../helpers.js";
import { caseTable, stopped, withEssential } from "./table.js";

const seed = taskDefinition(SEED_TASKDEF);

caseTable(essentialExited, [
  {
    name: "the app exited 1 after the task reached RUNNING",
    task: stopped(
      [
        { name: "log-router", image: "amazon/aws-for-fluent-bit:2.32.5", exitCode: 0 },
        { name: "web", exitCode: 1 },
      ],
      { startedAt: new Date("2026-01-01T00:00:10Z") },
    ),
    applies: true,
    verdict: {
      kind: "essential-exited",
      summary:
        "'web' exited 1 and, being essential (inferred: the task stopped with EssentialContainerExited and no other container exited on its own), stopped the task probably after it could take traffic (the app was running; nothing given shows the load balancer routing to it).",
      culprit: "web",
      traffic: "likely-after",
      prevention: ["advice"],
    },
  },
  {
    name: "an app crash, essential by the task definition, no stop code",
    task: stopped(
      [
        { name: "log-router", exitCode: 143 },
        { name: "app", exitCode: 139 },
      ],
      { stopCode: undefined, stoppedReason: undefined },
    ),
    options: { taskDefinition: seed },
    applies: true,
    verdict: { summary: /^'app' crashed \(exit 139 \(SIGSEGV\)\) and, being essential, stopped the task / },
  },
  {
    name: "two containers failed: 'probably essential'",
    task: stopped([
      { name: "web", exitCode: 1 },
      { name: "worker", exitCode: 2 },
    ]),
    applies: true,
    verdict: { summary: /^'web' exited 1 and, probably essential, stopped the task / },
  },
  {
    name: "a non-essential container failed and no stop code says an essential one exited",
    task: stopped(
      [
        { name: "dd-agent", exitCode: 1 },
        { name: "app", exitCode: 143 },
      ],
      { stopCode: undefined, stoppedReason: undefined },
    ),
    options: { taskDefinition: withEssential(seed, "dd-agent", false) },
    applies: false,
    decidedBy: "unknown",
  },
  {
    name: "every container was stopped by ECS",
    task: stopped([
      { name: "web", exitCode: 143 },
      { name: "worker", exitCode: 137 },
    ]),
    applies: false,
    decidedBy: "essential-exited-unnamed",
  },
]);
