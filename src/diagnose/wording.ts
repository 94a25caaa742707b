/** The phrases every case builds its one-sentence summary from, so the cases read alike. */
import { formatExit } from "./signals.js";
import type { ContainerFacts, Task, TrafficWindow } from "./types.js";

export function q(name: string): string {
  return `'${name}'`;
}

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`. */
export function names(list: readonly ContainerFacts[]): string {
  const quoted = list.map((c) => q(c.name));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/** `139 (SIGSEGV, a crash signature)`, `1 (not a crash signature)`. */
export function withNote(exitCode: number, note: string): string {
  const text = formatExit(exitCode);
  return text.endsWith(")") ? `${text.slice(0, -1)}, ${note})` : `${text} (${note})`;
}

export function trafficPhrase(window: TrafficWindow): string {
  switch (window) {
    case "after":
      return "after it could take traffic, so requests routed to it while it drained could fail with 502";
    case "likely-after":
      return "probably after it could take traffic (the app was running; nothing given shows the load balancer routing to it)";
    case "before":
      return "before the app ever ran, so no request reached it";
    default:
      return "(whether it had taken traffic cannot be told from this evidence)";
  }
}

/**
 * Why a container's exit stopped the task. Without a task definition `essential` is unknown; it is
 * inferred only when the stop code says an essential container exited and no other one failed on its own.
 */
export function essentialWording(c: ContainerFacts, task: Task, others: readonly ContainerFacts[]): string {
  if (c.essential === true) return "being essential";
  if (c.essential === undefined) {
    const stoppedByEssential = task.stopCode === "EssentialContainerExited";
    return stoppedByEssential && others.length === 0
      ? "being essential (inferred: the task stopped with EssentialContainerExited and no other container exited on its own)"
      : "probably essential";
  }
  return "although not essential";
}
