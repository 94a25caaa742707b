/**
 * The one sentence a reader needs first: how many deploys failed requests, how many requests, how bad the
 * worst deploy was, per variant, and what the gate did instead. Both the terminal summary and the HTML
 * report open with it.
 */
import { int, percent, printable } from "./format.js";
import type { SimulationResult, VariantResult } from "./montecarlo.js";

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, one: string, many: string) => `${int(n)} ${n === 1 ? one : many}`;

/** Who the clause is about: the task without a gate, with the gate `fix` adds, or as given. */
function subject(v: VariantResult, i: number, variants: readonly VariantResult[]): string {
  const hasGate = v.plan.gate !== null;
  if (v.label === "gated") {
    const givenUngated = variants.some((o) => o.label === "given" && o.plan.gate === null);
    return i > 0 && givenUngated ? "with it" : "with the gate";
  }
  if (variants.length === 1) {
    if (!hasGate) return "without the gate";
    return v.plan.gateKind === null ? "with the gate" : `with the ${v.plan.gateKind} gate`;
  }
  return hasGate ? "as given" : "without the gate";
}

/** What happened to the deploys: "21.1 % of deploys failed requests (22,201 in 1,000 deploys, up to 7,584 in one)". */
function outcome(v: VariantResult, i: number): string {
  const failing = v.deploysWithFailures;
  if (failing === 0) return i > 0 ? "none did" : "no deploy failed requests";
  const share = failing === v.runs ? "every deploy" : `${percent(failing, v.runs)} of deploys`;
  const worst = v.failedRequests.max;
  const spread = failing === 1 ? "all in one" : `up to ${int(worst)} in one`;
  return `${share} failed requests (${int(v.requests.failed)} in ${plural(v.runs, "deploy", "deploys")}, ${spread})`;
}

/** What the gate did instead, when it did anything. */
function gateEffect(v: VariantResult): string | null {
  const stopped = v.gateFailures;
  if (stopped === 0) return null;
  if (stopped === v.tasksStoppedBeforeRegistration) {
    return `${plural(stopped, "crashing task was", "crashing tasks were")} stopped before registration`;
  }
  return `the gate stopped ${plural(stopped, "task", "tasks")} whose router had crashed`;
}

/**
 * Tasks that hang before RUNNING: never stopped, so the circuit breaker never counts them, and never serving, so
 * no request fails because of them; the deploy does not complete. "No deploy failed requests" alone would read
 * as a good deploy.
 */
function hangEffect(v: VariantResult): string | null {
  if (v.tasksHung === 0) return null;
  const incomplete = v.runs - v.completed;
  return `${plural(v.tasksHung, "task", "tasks")} hung before RUNNING, waiting for ever on a dependency that can no longer be met (${int(incomplete)} of ${plural(v.runs, "deploy", "deploys")} did not complete)`;
}

export function headline(result: SimulationResult): string {
  const vs = result.variants;
  if (result.completedRuns === 0 || vs.length === 0) return "No deploy was simulated.";
  const clauses = vs.map((v, i) => `${subject(v, i, vs)}, ${outcome(v, i)}`);
  const effects = vs.map((v, i) => ({ who: subject(v, i, vs), effect: gateEffect(v) }));
  const some = effects.filter((e) => e.effect !== null);
  if (some.length === 1) clauses.push(some[0]?.effect as string);
  else if (some.length > 1 && some.every((e) => e.effect === some[0]?.effect))
    clauses.push(`in each, ${some[0]?.effect}`);
  else for (const e of some) clauses.push(`${e.who}, ${e.effect}`);
  vs.forEach((v, i) => {
    const hang = hangEffect(v);
    if (hang !== null) clauses.push(vs.length === 1 ? hang : `${subject(v, i, vs)}, ${hang}`);
  });
  return printable(`${capitalize(clauses.join("; "))}.`);
}
