/**
 * Scenario files: the service, load balancer, traffic and fault settings a simulation runs under.
 *
 * YAML in, validated with valibot; an error names the field by its dotted path, what was expected, and the
 * line in the file. Every default below says where it comes from: an AWS/ECS fact (the public page, by the
 * labels listed in the header of engine.ts: [DC], [SVC], [CB], [TG] …) or, marked "assumption", a choice
 * of ours that a scenario should override with its own measurements.
 */
import { readFile, stat } from "node:fs/promises";
import * as v from "valibot";
import { yamlLib } from "../yaml-lib.js";
import { printable } from "./format.js";
import { aliasExpansionProblem, flowNestingProblem, SCENARIO_LIMITS } from "./yaml-limits.js";

/** A duration in seconds, drawn anew for each task (or container) it applies to. */
export type Distribution =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "normal"; readonly mean: number; readonly sd: number }
  | { readonly kind: "lognormal"; readonly median: number; readonly sigma: number }
  | { readonly kind: "exponential"; readonly mean: number };

const nonNeg = v.pipe(v.number(), v.minValue(0));
const DIST_EXPECTED =
  "seconds as a number, {uniform: [min, max]}, {normal: [mean, sd]}, {lognormal: [median, sigma]} or {exponential: mean}";

const DistributionSchema = v.pipe(
  v.union(
    [
      nonNeg,
      v.strictObject({ uniform: v.tuple([nonNeg, nonNeg]) }),
      v.strictObject({ normal: v.tuple([nonNeg, nonNeg]) }),
      v.strictObject({ lognormal: v.tuple([v.pipe(v.number(), v.gtValue(0)), nonNeg]) }),
      v.strictObject({ exponential: nonNeg }),
    ],
    `expected ${DIST_EXPECTED}`,
  ),
  v.check(
    (d) => typeof d === "number" || !("uniform" in d) || d.uniform[0] <= d.uniform[1],
    "uniform: min must not exceed max",
  ),
  v.transform((d): Distribution => {
    if (typeof d === "number") return { kind: "constant", value: d };
    if ("uniform" in d) return { kind: "uniform", min: d.uniform[0], max: d.uniform[1] };
    if ("normal" in d) return { kind: "normal", mean: d.normal[0], sd: d.normal[1] };
    if ("lognormal" in d) return { kind: "lognormal", median: d.lognormal[0], sigma: d.lognormal[1] };
    return { kind: "exponential", mean: d.exponential };
  }),
);

type DistInput = v.InferInput<typeof DistributionSchema>;
const dist = (d: DistInput) => v.optional(DistributionSchema, d);
const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const prob = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/** When a container sends its first log records through the router (which is when the router first flushes). */
const FirstLog = v.picklist(["start", "first-request", "never"]);

const ContainerTimingSchema = v.strictObject({
  /** Image pull and container create, from task launch. */
  pullSeconds: v.optional(DistributionSchema),
  /** From container start until it does its job: app listening, router accepting records, agent ready. */
  bootSeconds: v.optional(DistributionSchema),
  /** From SIGTERM until the process exits on its own; past the task's stopTimeout it is SIGKILLed. */
  sigtermExitSeconds: v.optional(DistributionSchema),
  firstLog: v.optional(FirstLog),
});

const ScenarioSchema = v.strictObject({
  name: v.optional(v.string(), "scenario"),
  description: v.optional(v.string(), ""),
  service: v.optional(
    v.strictObject({
      // Assumption: the seed does not state its count; 2 is the smallest count that keeps serving while a
      // task is replaced. (ECS has no default for a REPLICA service's desiredCount worth relying on.)
      desiredCount: v.optional(int(1, 1000), 2),
      // [DC]: replica default 100.
      minimumHealthyPercent: v.optional(int(0, 100), 100),
      // [DC]: replica default 200.
      maximumPercent: v.optional(int(100, 200), 200),
      // [SVC]: 0 when unspecified.
      healthCheckGracePeriodSeconds: v.optional(nonNeg, 0),
      circuitBreaker: v.optional(
        v.strictObject({
          // [CB]: off unless set.
          enable: v.optional(v.boolean(), false),
          rollback: v.optional(v.boolean(), false),
          // [CB]: ThresholdConfiguration.resetOnHealthyTask, default true.
          resetOnHealthyTask: v.optional(v.boolean(), true),
        }),
        {},
      ),
    }),
    {},
  ),
  loadBalancer: v.optional(
    v.strictObject({
      /** The container registered as the target; default: the first essential container with portMappings. */
      container: v.optional(v.string()),
      // ALB target group health-check defaults for HTTP/HTTPS targets:
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
      // (interval 30 s, timeout 5 s, healthy threshold 5, unhealthy threshold 2).
      healthCheck: v.optional(
        v.strictObject({
          intervalSeconds: v.optional(int(5, 300), 30),
          timeoutSeconds: v.optional(int(2, 120), 5),
          healthyThreshold: v.optional(int(2, 10), 5),
          unhealthyThreshold: v.optional(int(2, 10), 2),
        }),
        {},
      ),
      // [TG]: deregistration_delay.timeout_seconds default 300, range 0-3600.
      deregistrationDelaySeconds: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(3600)), 300),
      // [TG]: after deregistration a target "may still get some new connections briefly"; the
      // magnitude is an assumption (1-5 s). Also the time from an essential exit to the control plane's
      // deregistration (DEACTIVATING), which the docs do not quantify.
      deregistrationLagSeconds: dist({ uniform: [1, 5] }),
      // [HC]: registration happens in ACTIVATING; any lag after that is an assumption (none).
      registrationLagSeconds: dist(0),
    }),
    {},
  ),
  traffic: v.optional(
    v.strictObject({
      // Assumption: a small service.
      requestsPerSecond: v.optional(nonNeg, 50),
      // Assumption: long enough to cover a default deploy (300 s deregistration delay included).
      durationSeconds: v.optional(nonNeg, 900),
      // Assumption: mean time a request is in flight (in-flight requests fail when their target dies).
      latencySeconds: v.optional(nonNeg, 0.1),
    }),
    {},
  ),
  /**
   * Per-container timings by container name; `default` applies to every container not listed (and to
   * fields a listed container leaves out).
   */
  containers: v.optional(v.record(v.string(), ContainerTimingSchema), {}),
  router: v.optional(
    v.strictObject({
      // Fluent Bit's default `Flush` is 1 s ([SERVICE] section of
      // https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/configuration-file).
      flushIntervalSeconds: v.optional(v.pipe(v.number(), v.gtValue(0)), 1),
      crash: v.optional(
        v.strictObject({
          // No fault unless the scenario injects one.
          probability: v.optional(prob, 0),
          // Seed (article): the crash came on the first log send; assumption: within the flush itself.
          afterFirstFlushSeconds: dist(0),
          // 128 + signal: 139 = SIGSEGV, the seed's crash (examples/seed/incident/README.md).
          exitCode: v.optional(int(1, 255), 139),
        }),
        {},
      ),
    }),
    {},
  ),
  gate: v.optional(
    v.strictObject({
      /** The preflight container; default: found from the task definition (plan.ts, findGate). */
      container: v.optional(v.string()),
      /**
       * `probe`: our preflight (verifies the flush; exits 1 when the router dies before its verdict).
       * `sleep`: the seed's workaround (sleeps, then exits 0; verifies nothing).
       * `auto`: `probe` when the container carries FIRELENS_PREFLIGHT_* settings, else `sleep`.
       */
      kind: v.optional(v.picklist(["auto", "probe", "sleep"]), "auto"),
      // README.md "Headline": the probe opens the gate in about 2 s (one flush interval, then its settle window).
      probeVerdictSeconds: dist({ uniform: [1.6, 2] }),
      // Seed: `for i in $(seq 1 3); do echo preflight alive; sleep 10; done` = 30 s.
      sleepVerdictSeconds: dist(30),
      // Assumption: the probe notices a dead router at its next poll (250 ms).
      detectionSeconds: dist({ uniform: [0, 0.25] }),
      /** Chance the probe misses a crash inside its window (false negative); 0 = a perfect gate. */
      missProbability: v.optional(prob, 0),
    }),
    {},
  ),
  previousVersion: v.optional(
    v.strictObject({
      // Assumption: the task definition being rolled back to starts cleanly in this time.
      startSeconds: dist({ uniform: [20, 40] }),
    }),
    {},
  ),
  limits: v.optional(
    v.strictObject({
      // A deploy still running at this simulated time is reported as not completed.
      maxSimSeconds: v.optional(v.pipe(v.number(), v.gtValue(0)), 7200),
      // Safety valve for scenarios that relaunch failing tasks forever (no circuit breaker).
      maxTaskLaunches: v.optional(int(1, 100000), 500),
    }),
    {},
  ),
});

export type ScenarioInput = v.InferInput<typeof ScenarioSchema>;
type Parsed = v.InferOutput<typeof ScenarioSchema>;

export interface ContainerTiming {
  readonly pullSeconds: Distribution;
  readonly bootSeconds: Distribution;
  readonly sigtermExitSeconds: Distribution;
  readonly firstLog: "start" | "first-request" | "never";
}

// Assumptions (no AWS source can know an image's size or a process's boot): a Fargate pull of a
// mid-sized image, a quick boot, and a process that exits promptly on SIGTERM.
const DEFAULT_CONTAINER_TIMING: ContainerTiming = {
  pullSeconds: { kind: "uniform", min: 5, max: 15 },
  bootSeconds: { kind: "uniform", min: 1, max: 3 },
  sigtermExitSeconds: { kind: "constant", value: 1 },
  firstLog: "start",
};

export interface Scenario extends Omit<Parsed, "containers"> {
  /** Timings by container name; `default` for the rest. Fields not given are filled from `default`. */
  readonly containers: Readonly<Record<string, ContainerTiming>>;
}

export interface ScenarioIssue {
  /** Dotted path of the field, e.g. `service.desiredCount` (empty for the document itself). */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** A scenario file that cannot be used; `issues` names every bad field. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(
    readonly file: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(
      issues
        .map(
          (i) =>
            `${printable(file)}${i.line ? `:${i.line}:${i.column ?? 1}` : ""}: ${printable(i.path) || "(document)"}: ${printable(i.message)}`,
        )
        .join("\n"),
    );
  }
}

function resolveContainers(raw: Parsed["containers"]): Record<string, ContainerTiming> {
  const base = raw.default;
  const def: ContainerTiming = {
    pullSeconds: base?.pullSeconds ?? DEFAULT_CONTAINER_TIMING.pullSeconds,
    bootSeconds: base?.bootSeconds ?? DEFAULT_CONTAINER_TIMING.bootSeconds,
    sigtermExitSeconds: base?.sigtermExitSeconds ?? DEFAULT_CONTAINER_TIMING.sigtermExitSeconds,
    firstLog: base?.firstLog ?? DEFAULT_CONTAINER_TIMING.firstLog,
  };
  const out: Record<string, ContainerTiming> = { default: def };
  for (const [name, t] of Object.entries(raw)) {
    if (name === "default") continue;
    out[name] = {
      pullSeconds: t.pullSeconds ?? def.pullSeconds,
      bootSeconds: t.bootSeconds ?? def.bootSeconds,
      sigtermExitSeconds: t.sigtermExitSeconds ?? def.sigtermExitSeconds,
      firstLog: t.firstLog ?? def.firstLog,
    };
  }
  return out;
}

function issueMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.type === "union" || issue.type === "check") return issue.message;
  if (issue.type === "strict_object" && issue.expected === "never") {
    return `unknown field (not part of the scenario schema)`;
  }
  return issue.expected === null ? issue.message : `expected ${issue.expected}, received ${issue.received}`;
}

/** Validate already-parsed data (e.g. a scenario built in code). Throws `ScenarioError`. */
export function scenarioFromData(data: unknown, file = "<scenario>", locate?: LocateFn): Scenario {
  const result = v.safeParse(ScenarioSchema, data ?? {});
  if (!result.success) {
    throw new ScenarioError(
      file,
      result.issues.map((issue) => {
        const keys = (issue.path ?? []).map((p) => p.key as string | number);
        const pos = locate?.(keys);
        return {
          path: keys.join("."),
          message: issueMessage(issue),
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        };
      }),
    );
  }
  const parsed = result.output;
  return { ...parsed, containers: resolveContainers(parsed.containers) };
}

type LocateFn = (path: readonly (string | number)[]) => { line: number; col: number } | undefined;

/** Line and column (1-based) of an offset, for problems found before the yaml library counted lines. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parse and validate a YAML (or JSON) scenario file. Throws `ScenarioError` naming each bad field, and for
 * a file past the limits of yaml-limits.ts (size, nesting, alias expansion).
 */
export function loadScenario(text: string, file = "<scenario>"): Scenario {
  const refuse = (offset: number, message: string): never => {
    throw new ScenarioError(file, [{ path: "", message, ...positionOf(text, offset) }]);
  };
  if (text.length > SCENARIO_LIMITS.maxChars) {
    refuse(
      SCENARIO_LIMITS.maxChars,
      `larger than ${SCENARIO_LIMITS.maxChars.toLocaleString("en-US")} characters`,
    );
  }
  const nesting = flowNestingProblem(text);
  if (nesting) refuse(nesting.offset, nesting.message);
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: "", message: `YAML: ${e.message.split("\n")[0]}`, line: pos.line, column: pos.col };
      }),
    );
  }
  const expansion = aliasExpansionProblem(doc);
  if (expansion) refuse(expansion.offset, expansion.message);
  const locate: LocateFn = (path) => {
    // Walk as far as the path exists; an unknown key is reported where its parent is.
    let node: unknown = doc.contents;
    let found = node;
    for (const key of path) {
      if (isMap(node)) node = node.get(key, true);
      else if (isSeq(node) && typeof key === "number") node = node.get(key, true);
      else break;
      if (node === undefined) break;
      found = node;
    }
    const range = (isMap(found) || isSeq(found) || isScalar(found) ? found.range : undefined) ?? undefined;
    return range ? lineCounter.linePos(range[0]) : undefined;
  };
  // The expansion was counted above, within its budget: the library's own alias limit (a ReferenceError
  // past 100 aliases) would only refuse files that are already known to be small.
  return scenarioFromData(doc.toJS({ maxAliasCount: -1 }), file, locate);
}

/**
 * Read and load a scenario file: only a regular file, and only up to the size limit (a FIFO or /dev/zero
 * would otherwise hang the read or fill memory before the limit is checked).
 */
export async function readScenarioFile(path: string): Promise<Scenario> {
  const info = await stat(path);
  if (!info.isFile()) throw new ScenarioError(path, [{ path: "", message: "not a regular file" }]);
  if (info.size > SCENARIO_LIMITS.maxChars * 4) {
    throw new ScenarioError(path, [
      { path: "", message: `larger than ${SCENARIO_LIMITS.maxChars.toLocaleString("en-US")} characters` },
    ]);
  }
  return loadScenario(await readFile(path, "utf8"), path);
}

/** The scenario with every default filled in (for tests and for code that builds scenarios). */
export function defaultScenario(overrides: ScenarioInput = {}): Scenario {
  return scenarioFromData(overrides);
}

/** Timings of a container: its own entry, else `default`. */
export function timingOf(scenario: Scenario, name: string): ContainerTiming {
  return scenario.containers[name] ?? scenario.containers.default ?? DEFAULT_CONTAINER_TIMING;
}
