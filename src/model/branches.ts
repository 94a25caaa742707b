/**
 * Conditions read as conditions. A value chosen by a condition not known at lint time (CloudFormation `Fn::If`
 * with a named condition of the template, a Terraform conditional whose condition is `var.x`) is one of its
 * branches, and `AWS::NoValue` in a branch is no value at all. A task with such values is read once per
 * assignment of its conditions: each distinct condition true or false, the same condition one variable
 * everywhere. Each assignment gives a resolved view, which `readTask` reads as any other; what holds in some
 * branches only is said with the conditions that make it hold.
 *
 * Container list elements that cannot be read at all (spliced from a module output, a whole list that is a
 * variable) are not a branch: they are unknown, and `taskUnknowns` says so with the way forward.
 */

import { isIntrinsic } from "../taskdef/index.js";
import type {
  Choice,
  ContainerDefinition,
  ContainerView,
  Intrinsic,
  JsonPath,
  TaskDefinition,
  TaskDefinitionView,
  UnknownContainerView,
} from "../taskdef/model.js";
import { readTask } from "./read.js";
import type { ReadOptions, TaskReading } from "./types.js";

/** More conditions than this are not enumerated (2^6 = 64 readings): the values under them stay unknown. */
export const MAX_BRANCH_CONDITIONS = 6;

/** One condition of a task: a CloudFormation condition by name, or a Terraform condition by its text. */
export interface BranchCondition {
  readonly kind: Choice["kind"];
  /** The condition's name (`UseHealthCheck`) or expression (`var.x`). */
  readonly condition: string;
}

/** One reading of a task under one assignment of its conditions. */
export interface TaskBranch {
  /**
   * The view with every choice resolved: the chosen branch in place, `AWS::NoValue` removed, containers chosen
   * by a condition present or absent. Containers are numbered densely (`index` = position); their `path` is
   * where they are written. The view itself when the task has no condition and no gap.
   */
  readonly view: TaskDefinitionView;
  /** Condition key (`conditionKey`) → its value in this branch. Empty for a task without conditions. */
  readonly assignment: ReadonlyMap<string, boolean>;
  /** `condition UseHealthCheck is false, var.x is true`; `undefined` when the task has one branch. */
  readonly label: string | undefined;
  /** Container position in `view` → its index in the list as written (for locations). */
  readonly writtenIndex: readonly number[];
}

export interface TaskBranches {
  readonly branches: readonly TaskBranch[];
  /** The conditions enumerated, in the order first met. */
  readonly conditions: readonly BranchCondition[];
  /** Set when the task has more than `MAX_BRANCH_CONDITIONS` conditions: values under them stay unknown. */
  readonly overflow: string | undefined;
}

/** Something about a task that cannot be known at lint time, with what to do about it. */
export interface TaskUnknown {
  /** Raw path (as written in the file) of what is unknown. */
  readonly rawPath: JsonPath;
  /** Position of the unknown element in the container list; `undefined` for the whole list or the conditions. */
  readonly index: number | undefined;
  /** What is unknown: an element, the whole list, or values under more conditions than are read. */
  readonly kind: "container" | "list" | "conditions";
  readonly what: string;
  readonly reason: string;
  /** The way forward, in the file's own terms. */
  readonly remedy: string;
}

/** The key of a condition in an assignment. */
export function conditionKey(c: BranchCondition): string {
  return `${c.kind}:${c.condition}`;
}

/** `condition UseHealthCheck is false` (CloudFormation) / `var.x is true` (Terraform). */
export function conditionLabel(c: BranchCondition, value: boolean): string {
  return c.kind === "cloudformation" ? `condition ${c.condition} is ${value}` : `${c.condition} is ${value}`;
}

function choiceOf(value: unknown): Choice | undefined {
  return isIntrinsic(value) ? (value as Intrinsic).choice : undefined;
}

function isNoValue(value: unknown): boolean {
  return isIntrinsic(value) && value.fn === "Ref" && value.argument === "AWS::NoValue";
}

/** Every condition under `value`, in the order met (branches included: a choice may nest another). */
function collect(value: unknown, out: Map<string, BranchCondition>, depth = 0): void {
  if (typeof value !== "object" || value === null || depth > 64) return;
  const choice = choiceOf(value);
  if (choice !== undefined) {
    const c = { kind: choice.kind, condition: choice.condition };
    const key = conditionKey(c);
    if (!out.has(key)) out.set(key, c);
    collect(choice.whenTrue, out, depth + 1);
    collect(choice.whenFalse, out, depth + 1);
    return;
  }
  if (isIntrinsic(value)) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  for (const k in value) collect((value as Record<string, unknown>)[k], out, depth + 1);
}

const ABSENT: unique symbol = Symbol("absent");

/** The value under one assignment; subtrees without a choice are shared, not copied. */
function resolve(value: unknown, assignment: ReadonlyMap<string, boolean>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const choice = choiceOf(value);
  if (choice !== undefined) {
    const v = assignment.get(conditionKey(choice));
    if (v === undefined) return value;
    return resolve(v ? choice.whenTrue : choice.whenFalse, assignment);
  }
  if (isNoValue(value)) return ABSENT;
  if (isIntrinsic(value)) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out: unknown[] = [];
    for (const item of value) {
      const r = resolve(item, assignment);
      if (r !== item) changed = true;
      if (r !== ABSENT) out.push(r);
    }
    return changed ? out : value;
  }
  let out: Record<string, unknown> | undefined;
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    const v = obj[k];
    const r = resolve(v, assignment);
    if (r === v) continue;
    out ??= { ...obj };
    if (r === ABSENT) delete out[k];
    else out[k] = r;
  }
  return out ?? value;
}

function labelOf(conditions: readonly BranchCondition[], assignment: ReadonlyMap<string, boolean>): string {
  return conditions.map((c) => conditionLabel(c, assignment.get(conditionKey(c)) === true)).join(", ");
}

function taskLevel(td: TaskDefinitionView): Record<string, unknown> {
  const { containerDefinitions: _c, ...rest } = td.taskDefinition as Record<string, unknown>;
  return rest;
}

/** One branch's view: resolved containers (chosen ones in place), densely numbered. */
function branchView(
  td: TaskDefinitionView,
  assignment: ReadonlyMap<string, boolean>,
): { view: TaskDefinitionView; writtenIndex: number[] } {
  const placed: Array<{ index: number; path: JsonPath; definition: ContainerDefinition }> = [];
  for (const c of td.containers) {
    placed.push({
      index: c.index,
      path: c.path,
      definition: resolve(c.definition, assignment) as ContainerDefinition,
    });
  }
  const unknown: UnknownContainerView[] = [];
  for (const u of td.unknownContainers ?? []) {
    if (u.value === undefined || u.index === undefined) {
      unknown.push(u);
      continue;
    }
    const r = resolve(u.value, assignment);
    if (r === ABSENT || r === null) continue;
    if (typeof r === "object" && !Array.isArray(r) && !isIntrinsic(r)) {
      placed.push({ index: u.index, path: u.path, definition: r as ContainerDefinition });
    } else {
      unknown.push({ index: u.index, path: u.path, reason: u.reason });
    }
  }
  placed.sort((a, b) => a.index - b.index);
  const containers: ContainerView[] = placed.map((p, i) => ({
    name: typeof p.definition.name === "string" ? p.definition.name : undefined,
    index: i,
    definition: p.definition,
    path: p.path,
  }));
  const rest = resolve(taskLevel(td), assignment) as Record<string, unknown>;
  const { unknownContainers: _u, ...base } = td;
  const view: TaskDefinitionView = {
    ...base,
    taskDefinition: { ...rest, containerDefinitions: containers.map((c) => c.definition) } as TaskDefinition,
    containers,
    ...(unknown.length === 0 ? {} : { unknownContainers: unknown }),
  };
  return { view, writtenIndex: placed.map((p) => p.index) };
}

function dense(td: TaskDefinitionView): boolean {
  const cs = td.containers;
  for (let i = 0; i < cs.length; i++) if ((cs[i] as ContainerView).index !== i) return false;
  return true;
}

let lastTd: TaskDefinitionView | undefined;
let lastBranches: TaskBranches | undefined;
/** Views this module made: already resolved, they are their own one branch. */
const resolvedViews = new WeakMap<TaskDefinitionView, TaskBranches>();

function computeBranches(td: TaskDefinitionView): TaskBranches {
  const found = new Map<string, BranchCondition>();
  // Only templates and Terraform hold choice markers; an ECS document's view is its parsed JSON or YAML, so the
  // walk (the one cost branches add to every lint) is skipped there.
  if (td.containersKey === "ContainerDefinitions" || td.containersKey === "container_definitions") {
    for (const c of td.containers) collect(c.definition, found);
    for (const u of td.unknownContainers ?? []) if (u.value !== undefined) collect(u.value, found);
    collect(taskLevel(td), found);
  }
  const conditions = [...found.values()];
  if (conditions.length === 0 && dense(td)) {
    const identity = td.containers.map((_, i) => i);
    return {
      branches: [{ view: td, assignment: new Map(), label: undefined, writtenIndex: identity }],
      conditions,
      overflow: undefined,
    };
  }
  if (conditions.length > MAX_BRANCH_CONDITIONS) {
    const { view, writtenIndex } = branchView(td, new Map());
    return {
      branches: [{ view, assignment: new Map(), label: undefined, writtenIndex }],
      conditions,
      overflow: `${conditions.length} conditions choose values in this task (${conditions.map((c) => c.condition).join(", ")}); past ${MAX_BRANCH_CONDITIONS} they are not read branch by branch, so the values they choose stay unknown`,
    };
  }
  const branches: TaskBranch[] = [];
  for (let bits = 0; bits < 1 << conditions.length; bits++) {
    const assignment = new Map<string, boolean>();
    // The first branch has every condition true, the last every condition false.
    conditions.forEach((c, i) => {
      assignment.set(conditionKey(c), (bits & (1 << i)) === 0);
    });
    const { view, writtenIndex } = branchView(td, assignment);
    branches.push({
      view,
      assignment,
      label: conditions.length === 0 ? undefined : labelOf(conditions, assignment),
      writtenIndex,
    });
  }
  return { branches, conditions, overflow: undefined };
}

/**
 * Every reading of a task: one branch per assignment of its conditions (one branch, the view itself, for a task
 * without conditions). Pure; repeated calls with the same view return the same branches (and so the same
 * readings from `readTask`).
 */
export function taskBranches(td: TaskDefinitionView): TaskBranches {
  if (td === lastTd && lastBranches !== undefined) return lastBranches;
  const own = resolvedViews.get(td);
  if (own !== undefined) return own;
  const result = computeBranches(td);
  for (const b of result.branches) {
    if (b.view !== td) {
      resolvedViews.set(b.view, {
        branches: [
          {
            view: b.view,
            assignment: new Map(),
            label: undefined,
            writtenIndex: b.view.containers.map((_, i) => i),
          },
        ],
        conditions: [],
        // A view read past the cap still holds the unread choices: it says so too.
        overflow: result.overflow,
      });
    }
  }
  lastTd = td;
  lastBranches = result;
  return result;
}

/** Each branch with its reading. */
export function readBranches(
  td: TaskDefinitionView,
  options: ReadOptions = {},
): ReadonlyArray<{ readonly branch: TaskBranch; readonly task: TaskReading }> {
  return taskBranches(td).branches.map((branch) => ({ branch, task: readTask(branch.view, options) }));
}

/** Whether `test` holds in the reading of every branch. */
export function inEveryBranch(
  td: TaskDefinitionView,
  test: (task: TaskReading) => boolean,
  options: ReadOptions = {},
): boolean {
  return taskBranches(td).branches.every((b) => test(readTask(b.view, options)));
}

/**
 * Whether the router has a health check, written out, in every branch: only then can something wait for it
 * HEALTHY. A health check chosen by a condition that may be false, or only known at deploy time, is not enough.
 */
export function routerHealthCheckInEveryBranch(td: TaskDefinitionView, options: ReadOptions = {}): boolean {
  return inEveryBranch(
    td,
    (task) => {
      const hc: unknown = task.router?.definition.healthCheck;
      return typeof hc === "object" && hc !== null && !Array.isArray(hc) && !isIntrinsic(hc);
    },
    options,
  );
}

/**
 * The conditions under which something holds, given the branches where it does: `undefined` when it holds in
 * every branch; else the conditions those branches share (`condition UseHealthCheck is false`) when they are
 * exactly the branches with those values, else each branch's label joined with "or".
 */
export function describeBranches(all: TaskBranches, holding: readonly number[]): string | undefined {
  const n = all.branches.length;
  const set = new Set(holding);
  if (set.size === 0 || set.size === n) return undefined;
  const fixed: Array<[BranchCondition, boolean]> = [];
  for (const c of all.conditions) {
    const key = conditionKey(c);
    const values = new Set([...set].map((i) => all.branches[i]?.assignment.get(key)));
    if (values.size === 1) {
      const [v] = [...values];
      if (v !== undefined) fixed.push([c, v]);
    }
  }
  const matching = all.branches.filter((b) =>
    fixed.every(([c, v]) => b.assignment.get(conditionKey(c)) === v),
  ).length;
  if (fixed.length > 0 && matching === set.size)
    return fixed.map(([c, v]) => conditionLabel(c, v)).join(" and ");
  return [...set]
    .sort((a, b) => a - b)
    .map((i) => all.branches[i]?.label ?? "")
    .join(" or ");
}

/** How to see a task whose containers are not all known here, in its file's terms. */
export function unknownRemedy(td: TaskDefinitionView): string {
  // A plan's task definitions are at their resource address: what a plan leaves unknown is known after apply.
  if (td.containersKey === "container_definitions" && td.path.length === 1)
    return "it is known after apply: check the task definition ECS registered (`aws ecs describe-task-definition`)";
  if (td.containersKey === "container_definitions")
    return "read the plan: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`, then check plan.json";
  if (td.containersKey === "ContainerDefinitions")
    return "write the containers out in the template, or check the task definition ECS registered (`aws ecs describe-task-definition`)";
  return "check the task definition ECS registered (`aws ecs describe-task-definition`)";
}

/**
 * What cannot be known about a task at lint time and decides whether it is safe: container list elements (or the
 * whole list) that are not containers here, in any branch, and conditions past `MAX_BRANCH_CONDITIONS`.
 */
export function taskUnknowns(td: TaskDefinitionView): readonly TaskUnknown[] {
  const all = taskBranches(td);
  const out: TaskUnknown[] = [];
  const seen = new Set<string>();
  for (const b of all.branches) {
    for (const u of b.view.unknownContainers ?? []) {
      const key = JSON.stringify(u.path);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        rawPath: u.path,
        index: u.index,
        kind: u.index === undefined ? "list" : "container",
        what: u.index === undefined ? "the container list" : `container #${u.index}`,
        reason: u.reason,
        remedy: unknownRemedy(td),
      });
    }
  }
  if (all.overflow !== undefined) {
    out.push({
      rawPath: td.path,
      index: undefined,
      kind: "conditions",
      what: "the conditions",
      reason: all.overflow,
      remedy: unknownRemedy(td),
    });
  }
  return out;
}
