/**
 * The words every renderer uses for one scenario (a router crash, a failed gate), decided once so the text,
 * Mermaid and DOT outputs say the same: the heading (`if log-router crashes (exit 139)`) and the outcome in one
 * line (`task stops · held back (143): app`).
 */
import type { StartupPlan, StopConsequence } from "./graph.js";

const TASK_WORDS: Record<StopConsequence["task"], string> = {
  stops: "task stops",
  runs: "task runs",
  "runs-without-router": "task runs without its router (logs lost)",
  hangs: "task hangs before RUNNING",
};

/** `if log-router crashes (exit 139)` for the router, `if gate exits 1` for the others. */
export function scenarioHeading(plan: Pick<StartupPlan, "routerCrash">, c: StopConsequence): string {
  return plan.routerCrash === c
    ? `if ${c.container} crashes (exit ${c.exitCode})`
    : `if ${c.container} exits ${c.exitCode}`;
}

/** The task's outcome, then who is held back, waits forever or starts anyway, in one line. */
export function scenarioOutcome(c: StopConsequence): string {
  const parts = [TASK_WORDS[c.task]];
  const list = (label: string, names: readonly string[]) => {
    if (names.length > 0) parts.push(`${label}: ${names.join(", ")}`);
  };
  list(
    "also exits 1",
    c.alsoExits.map((a) => a.container),
  );
  list("held back (143)", c.heldBack);
  list("waits forever", c.waitsForever);
  list("starts anyway", c.startAnyway);
  list("never started", c.stoppedWithTask);
  return parts.join(" · ");
}

/** Every scenario of a plan: the router crash first, then each gate's failure. */
export function scenariosOf(plan: Pick<StartupPlan, "routerCrash" | "gateFailures">): StopConsequence[] {
  return [...(plan.routerCrash === undefined ? [] : [plan.routerCrash]), ...plan.gateFailures];
}
