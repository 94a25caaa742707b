/**
 * Reading the task-definition view the way ECS reads it. Every accessor tolerates CloudFormation
 * intrinsics and YAML-ish scalars ("true", "30"): an intrinsic becomes `undefined` ("unknown at lint
 * time"), so a rule can skip instead of guessing or crashing.
 *
 * The per-task analysis (who is the router, the preflight, the apps; the dependency graph) is shared by
 * many rules, so it is computed once per task definition and cached.
 */
import type { ContainerDefinition, ContainerView, JsonPath, TaskDefinitionView } from "../taskdef/model.js";
import { isIntrinsic } from "../taskdef/values.js";
import { type RouterImage, routerImage } from "./image.js";

/** A plain string, or `undefined` for missing, intrinsic or non-string values. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A boolean, accepting the strings YAML templates and CDK tokens leave behind. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true") return true;
    if (v === "false") return false;
  }
  return undefined;
}

/** A finite number, accepting numeric strings. */
export function num(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isIntrinsic(value);
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Tri-state: ECS defaults `essential` to true; an intrinsic is unknown. */
export type Tri = boolean | undefined;

export function essentialOf(def: ContainerDefinition): Tri {
  const raw: unknown = def.essential;
  if (raw === undefined || raw === null) return true;
  return bool(raw);
}

/** Path of a container field, relative to the task definition (camelCase, translated by `doc.rawPath`). */
export function cpath(c: ContainerView, ...rest: ReadonlyArray<string | number>): JsonPath {
  return ["containerDefinitions", c.index, ...rest];
}

export interface Dependency {
  readonly index: number;
  readonly containerName: string | undefined;
  readonly condition: string | undefined;
  /** The raw `containerName` was present but not a literal. */
  readonly nameUnknown: boolean;
  readonly conditionUnknown: boolean;
}

export function dependenciesOf(def: ContainerDefinition): Dependency[] {
  const out: Dependency[] = [];
  const list = arr(def.dependsOn as unknown);
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (!isObject(d)) {
      out.push({
        index: i,
        containerName: undefined,
        condition: undefined,
        nameUnknown: true,
        conditionUnknown: true,
      });
      continue;
    }
    const name = str(d.containerName);
    const cond = str(d.condition);
    out.push({
      index: i,
      containerName: name,
      condition: cond,
      nameUnknown: name === undefined && d.containerName !== undefined,
      conditionUnknown: cond === undefined && d.condition !== undefined,
    });
  }
  return out;
}

export function logDriverOf(def: ContainerDefinition): string | undefined {
  const lc: unknown = def.logConfiguration;
  return isObject(lc) ? str(lc.logDriver) : undefined;
}

export function usesAwsFirelens(def: ContainerDefinition): boolean {
  return logDriverOf(def)?.toLowerCase() === "awsfirelens";
}

/** Options of a log configuration or firelens configuration, keys as written (Fluent Bit keys are case-insensitive). */
export function optionsOf(holder: unknown): Record<string, unknown> {
  if (!isObject(holder)) return {};
  const o = holder.options;
  return isObject(o) ? o : {};
}

/** Case-insensitive option lookup; returns the key as spelled too, for the finding's path. */
export function option(
  options: Record<string, unknown>,
  key: string,
): { key: string; value: unknown } | undefined {
  const want = key.toLowerCase();
  for (const k in options) {
    if (k.length === want.length && k.toLowerCase() === want) return { key: k, value: options[k] };
  }
  return undefined;
}

export function hasFirelensConfiguration(def: ContainerDefinition): boolean {
  const f: unknown = def.firelensConfiguration;
  return f !== undefined && f !== null;
}

/** Environment as name → value (value `undefined` when it is an intrinsic), with entry indexes. */
export function environmentOf(
  def: ContainerDefinition,
): Map<string, { value: string | undefined; index: number }> {
  const env = new Map<string, { value: string | undefined; index: number }>();
  const list = arr(def.environment as unknown);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (!isObject(e)) continue;
    const name = str(e.name);
    if (name === undefined) continue;
    const v: unknown = e.value;
    env.set(name, {
      value: typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined,
      index: i,
    });
  }
  return env;
}

export const PREFLIGHT_NAME = "log-router-preflight";
export const PREFLIGHT_ENV_PREFIX = "FIRELENS_PREFLIGHT_";

/** The gate container: named like the seed's, or configured with the probe's environment. */
export function isPreflight(c: ContainerView): boolean {
  if (c.name === PREFLIGHT_NAME) return true;
  for (const e of arr(c.definition.environment as unknown)) {
    if (isObject(e) && typeof e.name === "string" && e.name.startsWith(PREFLIGHT_ENV_PREFIX)) return true;
  }
  return false;
}

/** The Datadog Agent sidecar: `fix` leaves it ungated, since the gate waits for it. */
export function isDatadogAgent(c: ContainerView): boolean {
  const image = str(c.definition.image as unknown)?.toLowerCase() ?? "";
  if (/(^|\/)datadog(hq)?\/agent(:|@|$)/.test(image) || /(^|\/)datadog-agent(:|@|$)/.test(image)) return true;
  return c.name === "datadog-agent" || c.name === "dd-agent";
}

/** What the rules need to know about one task definition. */
export interface TaskAnalysis {
  readonly containers: readonly ContainerView[];
  readonly byName: ReadonlyMap<string, ContainerView>;
  /** Containers with a `firelensConfiguration` (a valid task has at most one). */
  readonly routers: readonly ContainerView[];
  /** The router when there is exactly one. */
  readonly router: ContainerView | undefined;
  readonly preflights: readonly ContainerView[];
  /** Containers logging through `awsfirelens`. */
  readonly firelensUsers: readonly ContainerView[];
  /**
   * Essential app containers logging through `awsfirelens`: what the gate must hold back (not the router,
   * not a preflight, not the Datadog Agent). Containers whose `essential` is unknown are left out.
   */
  readonly apps: readonly ContainerView[];
  /** Literal dependencies per container index. */
  readonly deps: ReadonlyArray<readonly Dependency[]>;
  /** Lazily filled by `routerImageOf` and `datadogProviderEcs`; rules never touch these. */
  readonly memo: { images: Array<RouterImage | undefined>; providerEcs?: unknown };
}

/**
 * The engine runs every rule on one task definition before the next, so a one-entry cache hits for all but
 * the first rule. (A WeakMap did the same job at several times the cost: fresh keys per document are
 * ephemerons the collector has to trace.)
 */
let lastTd: TaskDefinitionView | undefined;
let lastAnalysis: TaskAnalysis | undefined;

export function analyze(td: TaskDefinitionView): TaskAnalysis {
  if (td === lastTd && lastAnalysis !== undefined) return lastAnalysis;
  const containers = td.containers;
  const byName = new Map<string, ContainerView>();
  for (const c of containers) if (c.name !== undefined && !byName.has(c.name)) byName.set(c.name, c);
  const routers = containers.filter((c) => hasFirelensConfiguration(c.definition));
  const preflights = containers.filter(isPreflight);
  const firelensUsers = containers.filter((c) => usesAwsFirelens(c.definition));
  const router = routers.length === 1 ? routers[0] : undefined;
  const apps = firelensUsers.filter(
    (c) =>
      c !== router && !preflights.includes(c) && !isDatadogAgent(c) && essentialOf(c.definition) === true,
  );
  const deps = containers.map((c) => dependenciesOf(c.definition));
  const result: TaskAnalysis = {
    containers,
    byName,
    routers,
    router,
    preflights,
    firelensUsers,
    apps,
    deps,
    memo: { images: [] },
  };
  lastTd = td;
  lastAnalysis = result;
  return result;
}

/**
 * Whether `from` starts only after `to` along literal `dependsOn` edges (any condition). Implicit FireLens
 * edges are not counted: callers decide when those exist.
 */
export function reaches(a: TaskAnalysis, from: ContainerView, to: ContainerView): boolean {
  const seen = new Set<number>([from.index]);
  const stack = [from];
  while (stack.length > 0) {
    const cur = stack.pop() as ContainerView;
    for (const d of a.deps[cur.index] ?? []) {
      if (d.containerName === undefined) continue;
      const next = a.byName.get(d.containerName);
      if (next === undefined) continue;
      if (next === to) return true;
      if (!seen.has(next.index)) {
        seen.add(next.index);
        stack.push(next);
      }
    }
  }
  return false;
}

/** Human label of a container in messages. */
export function label(c: ContainerView): string {
  return c.name ?? `#${c.index}`;
}

/** A list of names for messages: `'a', 'b'`. */
export function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

/** `fluentbit` / `fluentd` from the router's firelensConfiguration, lower-cased. */
export function firelensTypeOf(def: ContainerDefinition): string | undefined {
  const f: unknown = def.firelensConfiguration;
  return isObject(f) ? str(f.type)?.toLowerCase() : undefined;
}

/**
 * Essential awsfirelens apps that can start before a non-essential preflight exited 0: neither they nor a
 * container they wait for (transitively) depends on such a preflight with SUCCESS.
 */
export function ungatedApps(a: TaskAnalysis): ContainerView[] {
  if (a.apps.length === 0) return [];
  const gates = a.preflights.filter((p) => essentialOf(p.definition) === false && p.name !== undefined);
  if (gates.length === 0) return [...a.apps];
  const opened = a.containers.filter((c) =>
    (a.deps[c.index] ?? []).some(
      (d) => d.condition === "SUCCESS" && gates.some((g) => g.name === d.containerName),
    ),
  );
  return a.apps.filter((app) => !opened.includes(app) && !opened.some((o) => reaches(a, app, o)));
}

/** The router image of a container, read once per task however many rules ask. */
export function routerImageOf(a: TaskAnalysis, c: ContainerView): RouterImage {
  let img = a.memo.images[c.index];
  if (img === undefined) {
    img = routerImage(c.definition.image as unknown, firelensTypeOf(c.definition));
    a.memo.images[c.index] = img;
  }
  return img;
}
