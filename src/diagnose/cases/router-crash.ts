/**
 * 1. The router crashed (139 SIGSEGV, 134 SIGABRT) and exited first. Essential, it took the task down;
 * whether before or after traffic is what the gate decides. Not essential, the task lived on without logs.
 */
import { crashTriggerRules, FIX_COMMAND, knownCrashRule } from "../prevention.js";
import { formatExit, isCrashSignature } from "../signals.js";
import type { Prevention } from "../types.js";
import { essentialWording, q, trafficPhrase, withNote } from "../wording.js";
import { type DiagnosisCase, present, verdict } from "./case.js";

export const routerCrash: DiagnosisCase = {
  id: "router-crash",
  applies: (f) =>
    f.stopped && f.router !== undefined && isCrashSignature(f.router.exitCode) && f.culprit === f.router,
  verdict(f) {
    const router = present(f.router, "router-crash", "a router");
    const exit = withNote(router.exitCode ?? 0, "a crash signature");
    if (router.essential === false) {
      return verdict(
        f,
        "router-crash",
        `The log router ${q(router.name)} crashed (exit ${exit}) but is not essential, so it did not stop the task: logs sent through it after the crash are lost.`,
        {
          prevention: [
            {
              kind: "rule",
              id: "FLP202",
              why: `the router image (${router.image ?? "unknown"}) may have known crash bugs`,
            },
            ...crashTriggerRules(f.td, router.name),
          ],
        },
      );
    }
    const prevention: Prevention[] = [];
    if (!(f.window === "before" || f.gateHeld)) {
      prevention.push(
        {
          kind: "rule",
          id: "FLP201",
          why: "gate the apps on a verified preflight, so a router that crashes on the first flush stops the task before it takes traffic",
        },
        {
          kind: "fix",
          command: FIX_COMMAND,
          why: "adds the non-essential 'log-router-preflight' gate and makes the apps wait for its SUCCESS",
        },
      );
    }
    prevention.push(knownCrashRule(router), ...crashTriggerRules(f.td, router.name));
    const gate = f.gateFailed;
    const gateNote =
      gate === undefined
        ? ""
        : `; the gate ${q(gate.name)} had failed (exit ${formatExit(gate.exitCode ?? 0)}) and held the apps back`;
    return verdict(
      f,
      "router-crash",
      `The log router crashed and stopped the task: ${q(router.name)} exited ${exit} and, ${essentialWording(router, f.task, f.others)}, took the task down ${trafficPhrase(f.window)}${gateNote}.`,
      { prevention },
    );
  },
};
