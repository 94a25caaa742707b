/** The task has not stopped: say whether the gate passed and which containers failed without stopping it. */
import { knownCrashRule } from "../prevention.js";
import { formatExit, isCrashSignature } from "../signals.js";
import type { Prevention } from "../types.js";
import { names, q } from "../wording.js";
import type { DiagnosisCase } from "./case.js";

export const running: DiagnosisCase = {
  id: "running",
  applies: (f) => !f.stopped,
  verdict(f) {
    const { task, router } = f;
    const health = task.healthStatus ?? "UNKNOWN";
    const gatePassed = f.preflights.find((p) => p.exitCode === 0);
    // Only a non-essential container can have failed while the task still runs.
    const problems = f.containers.filter(
      (c) => c.exitCode !== undefined && c.exitCode !== 0 && c.role !== "preflight" && c.essential !== true,
    );
    const state = `${task.lastStatus ?? "in an unknown state"}${health === "UNKNOWN" ? "" : ` and ${health}`}`;
    const gate = gatePassed === undefined ? "" : `the gate ${q(gatePassed.name)} passed (exit 0) and `;
    const rest =
      problems.length > 0
        ? `${names(problems)} exited ${problems.map((p) => formatExit(p.exitCode ?? 0)).join("/")} without stopping it${problems.some((p) => p.role === "router") ? ": the router is down and logs sent through it are lost" : ""}`
        : "no container has failed";
    const prevention: Prevention[] = [];
    if (router !== undefined && problems.includes(router) && isCrashSignature(router.exitCode)) {
      prevention.push(knownCrashRule(router));
    }
    if (router !== undefined && f.preflights.length === 0 && router.essential !== false) {
      prevention.push({
        kind: "rule",
        id: "FLP201",
        why: "this task has no preflight gate: a router crash on a later deploy's first flush would stop it after it took traffic",
      });
    }
    return {
      kind: "running",
      summary: `The task is ${state}; ${gate}${rest}.`,
      traffic: "not-applicable",
      trafficBasis: "",
      culprit: undefined,
      prevention,
    };
  },
};
