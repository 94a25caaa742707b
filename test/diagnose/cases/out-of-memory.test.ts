import { outOfMemory } from "../../../src/diagnose/cases/out-of-memory.js";
import { FIX, input, SEED_TASKDEF, taskDefinition } from "../helpers.js";
import { CRASHING_ROUTER_IMAGE, caseTable, stopped, withEssential } from "./table.js";

const seed = taskDefinition(SEED_TASKDEF);
const OOM = "OutOfMemoryError: Container killed due to memory usage";
const oomTask = input(`${FIX}oom-tasks.json`).tasks[0];
if (oomTask === undefined) throw new Error("oom-tasks.json holds no task");

caseTable(outOfMemory, [
  {
    name: "the app of the OOM fixture, hours after start",
    task: oomTask,
    options: { taskDefinition: seed },
    applies: true,
    verdict: {
      kind: "out-of-memory",
      summary:
        "'app' ran out of memory: it was killed (exit 137 (SIGKILL), OutOfMemoryError) and, being essential, stopped the task probably after it could take traffic (the app was running; nothing given shows the load balancer routing to it).",
      culprit: "app",
      prevention: ["advice"],
    },
  },
  {
    name: "an ungated router: bound its buffers and gate the apps",
    task: stopped([
      { name: "log-router", image: CRASHING_ROUTER_IMAGE, exitCode: 137, reason: OOM },
      { name: "app", exitCode: 143 },
    ]),
    applies: true,
    verdict: { summary: /^'log-router' ran out of memory: /, prevention: ["advice", "FLP201"] },
  },
  {
    name: "a non-essential container without an exit code",
    task: stopped([
      { name: "dd-agent", reason: OOM },
      { name: "app", exitCode: 143 },
    ]),
    options: { taskDefinition: withEssential(seed, "dd-agent", false) },
    applies: true,
    verdict: {
      summary:
        "'dd-agent' ran out of memory: it was killed (no exit code, OutOfMemoryError); it is not essential, so the task did not stop because of it.",
    },
  },
  {
    name: "the router crashed as well: the crash signature explains more",
    task: stopped([
      { name: "log-router", image: CRASHING_ROUTER_IMAGE, exitCode: 139 },
      { name: "app", exitCode: 137, reason: OOM },
    ]),
    applies: false,
    decidedBy: "router-crash",
  },
]);
