import { routerCrash } from "../../../src/diagnose/cases/router-crash.js";
import { FIX, SEED_TASKDEF, taskDefinition } from "../helpers.js";
import { CRASHING_ROUTER_IMAGE, caseTable, HELD, stopped, withEssential } from "./table.js";

const seed = taskDefinition(SEED_TASKDEF);
const gated = taskDefinition(`${FIX}gated-taskdef.json`);
const router = { name: "log-router", image: CRASHING_ROUTER_IMAGE };

caseTable(routerCrash, [
  {
    name: "an ungated essential router crashed after the app ran",
    task: stopped([
      { ...router, exitCode: 139 },
      { name: "app", exitCode: 143 },
    ]),
    applies: true,
    verdict: {
      kind: "router-crash",
      summary:
        "The log router crashed and stopped the task: 'log-router' exited 139 (SIGSEGV, a crash signature) and, being essential (inferred: the task stopped with EssentialContainerExited and no other container exited on its own), took the task down probably after it could take traffic (the app was running; nothing given shows the load balancer routing to it).",
      culprit: "log-router",
      traffic: "likely-after",
      prevention: ["FLP201", "fix", "FLP202"],
    },
  },
  {
    name: "with the task definition: SIGABRT, and FLP212 for the datadog provider ecs it holds",
    task: stopped([
      { ...router, exitCode: 134 },
      { name: "dd-agent", exitCode: 0 },
      { name: "app", exitCode: 143 },
    ]),
    options: { taskDefinition: seed },
    applies: true,
    verdict: {
      summary:
        /^The log router crashed and stopped the task: 'log-router' exited 134 \(SIGABRT, a crash signature\) and, being essential, /,
      prevention: ["FLP201", "fix", "FLP202", "FLP212"],
    },
  },
  {
    name: "a non-essential router crashed: the task lived on without logs",
    task: stopped([
      { ...router, exitCode: 139 },
      { name: "app", exitCode: 143 },
    ]),
    options: { taskDefinition: withEssential(seed, "log-router", false) },
    applies: true,
    verdict: {
      summary:
        "The log router 'log-router' crashed (exit 139 (SIGSEGV, a crash signature)) but is not essential, so it did not stop the task: logs sent through it after the crash are lost.",
      prevention: ["FLP202", "FLP212"],
    },
  },
  {
    name: "the router crashed during the gate's check: before traffic, no FLP201",
    task: stopped([
      { ...router, exitCode: 139 },
      { name: "log-router-preflight", exitCode: 1 },
      { name: "app", exitCode: 143, reason: HELD },
    ]),
    options: { taskDefinition: gated },
    applies: true,
    verdict: {
      summary:
        /before the app ever ran, so no request reached it; the gate 'log-router-preflight' had failed \(exit 1\) and held the apps back\.$/,
      traffic: "before",
      prevention: ["FLP202", "FLP212"],
    },
  },
  {
    name: "the router exited 1: no crash signature",
    task: stopped([
      { ...router, exitCode: 1 },
      { name: "app", exitCode: 143 },
    ]),
    applies: false,
    decidedBy: "router-exited",
  },
  {
    name: "the app crashed while the router exited cleanly",
    task: stopped([
      { ...router, exitCode: 0 },
      { name: "app", exitCode: 139 },
    ]),
    applies: false,
    decidedBy: "essential-exited",
  },
  {
    name: "a crashed router in a task that still runs",
    task: { taskArn: "arn:x/t", lastStatus: "RUNNING", containers: [{ ...router, exitCode: 139 }] },
    applies: false,
    decidedBy: "running",
  },
]);
