/**
 * The catalogue of chains `diagnose` names, in the order they are tried: the first case whose `applies`
 * holds decides. Where two cases can both apply, the earlier one explains more: a router that crashed
 * during the gate's check is a router crash (the gate failed because of it), not a gate failure; a router
 * crash is not just any router exit; an essential preflight's exit 0 is not just any essential exit; and
 * a stop code from outside the task comes last of the named chains, because it explains only itself.
 */
import type { TaskFacts } from "../facts.js";
import type { DiagnosisCase } from "./case.js";
import { essentialExited } from "./essential-exited.js";
import { essentialPreflight } from "./essential-preflight.js";
import { essentialUnnamed } from "./essential-unnamed.js";
import { failedToStart } from "./failed-to-start.js";
import { gateFailed } from "./gate-failed.js";
import { heldBack } from "./held-back.js";
import { outOfMemory } from "./out-of-memory.js";
import { routerCrash } from "./router-crash.js";
import { routerExited } from "./router-exited.js";
import { running } from "./running.js";
import { stoppedExternally } from "./stopped-externally.js";
import { unknown } from "./unknown.js";

export const CASES: readonly DiagnosisCase[] = [
  running,
  routerCrash,
  outOfMemory,
  gateFailed,
  heldBack,
  routerExited,
  failedToStart,
  essentialPreflight,
  essentialExited,
  essentialUnnamed,
  stoppedExternally,
  unknown,
];

/** The first case that applies. `running` and `unknown` between them cover every task. */
export function selectCase(f: TaskFacts): DiagnosisCase {
  return CASES.find((c) => c.applies(f)) ?? unknown;
}
