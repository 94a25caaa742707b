/** 5. The router exited first without a crash signature (a configuration or output error, usually). */
import { FIX_COMMAND } from "../prevention.js";
import type { Prevention } from "../types.js";
import { essentialWording, q, trafficPhrase, withNote } from "../wording.js";
import { type DiagnosisCase, present, verdict } from "./case.js";

export const routerExited: DiagnosisCase = {
  id: "router-exited",
  applies: (f) =>
    f.stopped && f.router !== undefined && f.culprit === f.router && f.router.exitCode !== undefined,
  verdict(f) {
    const router = present(f.router, "router-exited", "a router");
    // Before traffic, the gate (or luck) already kept requests away: what is left is the router's own error.
    const prevention: Prevention[] =
      f.window === "before"
        ? [
            {
              kind: "advice",
              why: "check the router's own logs (awslogs) for a configuration or output error",
            },
          ]
        : [
            {
              kind: "rule",
              id: "FLP201",
              why: "gate the apps on a verified preflight so a router that dies early stops the task before traffic",
            },
            { kind: "fix", command: FIX_COMMAND, why: "adds the verifying preflight gate" },
          ];
    return verdict(
      f,
      "router-exited",
      `The log router ${q(router.name)} exited ${withNote(router.exitCode ?? 0, "not a crash signature")} and, ${essentialWording(router, f.task, f.others)}, stopped the task ${trafficPhrase(f.window)}.`,
      { prevention },
    );
  },
};
