/**
 * Which container started the chain. describe-tasks gives no per-container stop times, so "which container
 * exited first" is read from exit codes and reasons: the one that exited on its own (crash, OOM, non-zero,
 * or a clean exit) is the culprit; the ones with 143/137 were stopped by the agent afterwards.
 */
import { isCrashSignature, isDependencyStop, isOutOfMemory } from "./signals.js";
import type { ContainerFacts } from "./types.js";

/** Stopped by the agent as the task stopped: 143 is its SIGTERM, 137 the SIGKILL after stopTimeout. */
export function isVictim(c: ContainerFacts): boolean {
  return (
    (c.exitCode === 143 || c.exitCode === 137) &&
    !isOutOfMemory(c.reason) &&
    !isDependencyStop(c.exitCode, c.reason)
  );
}

/** Ranks up to this one are failures of the container's own (not a clean exit, not a victim). */
export const OWN_FAILURE_RANK = 4;
/** The agent's dependency stop: the container was held back, it did not fail. */
export const DEPENDENCY_STOP_RANK = 3;
const NOT_AN_INITIATOR = 99;

/**
 * How strongly a container's own exit looks like the start of the chain: 0 crash signature, 1 OOM,
 * 2 failed preflight, 3 agent dependency stop, 4 other non-zero exit; 5 an essential preflight's exit 0;
 * 6 a clean exit of another essential container (it stops the task too, but a graceful shutdown after
 * SIGTERM looks the same); 99 a victim.
 */
export function initiatorRank(c: ContainerFacts): number {
  if (isCrashSignature(c.exitCode)) return 0;
  if (isOutOfMemory(c.reason)) return 1;
  if (c.role === "preflight" && c.exitCode !== undefined && c.exitCode !== 0) return 2;
  if (isDependencyStop(c.exitCode, c.reason)) return DEPENDENCY_STOP_RANK;
  if (c.exitCode !== undefined && c.exitCode !== 0 && !isVictim(c)) return OWN_FAILURE_RANK;
  // An essential preflight's exit 0 is expected of it and still stops the task: more telling than a
  // clean exit of anything else.
  if (c.exitCode === 0 && c.role === "preflight" && c.essential === true) return 5;
  if (c.exitCode === 0 && c.role !== "preflight" && c.essential !== false) return 6;
  return NOT_AN_INITIATOR;
}

/** Containers that exited on their own, most telling first. */
export function initiators(containers: readonly ContainerFacts[]): ContainerFacts[] {
  return containers
    .map((c) => ({ c, r: initiatorRank(c) }))
    .filter((x) => x.r < NOT_AN_INITIATOR)
    .sort((a, b) => a.r - b.r)
    .map((x) => x.c);
}
