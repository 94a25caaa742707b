/**
 * One case of the catalogue: a chain `diagnose` can name. Like a lint rule, a case is a pure function of
 * the facts; `applies` says whether the facts show its chain, `verdict` words it. The catalogue
 * (`index.ts`) tries the cases in a declared order and the first that applies decides.
 */
import type { TaskFacts } from "../facts.js";
import type { DiagnosisKind, Prevention, TrafficWindow } from "../types.js";

interface Verdict {
  readonly kind: DiagnosisKind;
  /** One sentence: what happened. */
  readonly summary: string;
  readonly traffic: TrafficWindow;
  readonly trafficBasis: string;
  /** The container whose exit started the chain, when one can be named. */
  readonly culprit: string | undefined;
  readonly prevention: readonly Prevention[];
}

export interface DiagnosisCase {
  /** Stable, kebab-case; several cases may share a `DiagnosisKind`. */
  readonly id: string;
  applies(f: TaskFacts): boolean;
  verdict(f: TaskFacts): Verdict;
}

/** A verdict with the facts' traffic window and culprit, unless the case says otherwise. */
export function verdict(
  f: TaskFacts,
  kind: DiagnosisKind,
  summary: string,
  extra: Partial<Omit<Verdict, "kind" | "summary">> = {},
): Verdict {
  return {
    kind,
    summary,
    traffic: f.window,
    trafficBasis: f.windowBasis,
    culprit: f.culprit?.name,
    prevention: [],
    ...extra,
  };
}

/**
 * The container a case's `applies` has already found. `verdict` runs only after `applies` said yes, so a
 * missing one is a bug in the case, not in the input.
 */
export function present<T>(value: T | undefined, caseId: string, what: string): T {
  if (value === undefined) throw new Error(`diagnose case ${caseId}: verdict without ${what}`);
  return value;
}
