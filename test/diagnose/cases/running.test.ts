import { running } from "../../../src/diagnose/cases/running.js";
import { FIX, taskDefinition } from "../helpers.js";
import { ARN, CRASHING_ROUTER_IMAGE, caseTable, stopped } from "./table.js";

const gated = taskDefinition(`${FIX}gated-taskdef.json`);

caseTable(running, [
  {
    name: "a healthy gated task whose gate passed",
    task: {
      taskArn: ARN,
      lastStatus: "RUNNING",
      healthStatus: "HEALTHY",
      containers: [
        { name: "log-router", lastStatus: "RUNNING" },
        { name: "log-router-preflight", lastStatus: "STOPPED", exitCode: 0 },
        { name: "app", lastStatus: "RUNNING", healthStatus: "HEALTHY" },
      ],
    },
    options: { taskDefinition: gated },
    applies: true,
    verdict: {
      kind: "running",
      summary:
        "The task is RUNNING and HEALTHY; the gate 'log-router-preflight' passed (exit 0) and no container has failed.",
      traffic: "not-applicable",
      culprit: null,
      prevention: [],
    },
  },
  {
    name: "a running task whose router crashed, ungated",
    task: {
      taskArn: ARN,
      lastStatus: "RUNNING",
      containers: [
        { name: "log-router", image: CRASHING_ROUTER_IMAGE, lastStatus: "STOPPED", exitCode: 139 },
        { name: "web", lastStatus: "RUNNING" },
      ],
    },
    applies: true,
    verdict: {
      summary:
        "The task is RUNNING; 'log-router' exited 139 (SIGSEGV) without stopping it: the router is down and logs sent through it are lost.",
      prevention: ["FLP202", "FLP201"],
    },
  },
  {
    name: "a task in an unknown state with a failed worker",
    task: { taskArn: ARN, containers: [{ name: "worker", exitCode: 2 }] },
    applies: true,
    verdict: { summary: "The task is in an unknown state; 'worker' exited 2 without stopping it." },
  },
  {
    name: "a stopped task",
    task: stopped([{ name: "web", exitCode: 1 }]),
    applies: false,
    decidedBy: "essential-exited",
  },
  {
    name: "a task still RUNNING but with a stop code: it is stopping",
    task: { taskArn: ARN, lastStatus: "RUNNING", stopCode: "UserInitiated", containers: [] },
    applies: false,
    decidedBy: "stopped-externally",
  },
]);
