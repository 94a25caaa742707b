/**
 * A gate container's targets as the probe itself will read them (its contract's `probeTargets`: flags win over
 * variables), and where each list is written, so `fix` extends the setting that counts and lint (FLP206) checks
 * the same one. One reading for both: a gate whose `--containers` flag `fix` left alone while it extended the
 * variable would pass `fix --check` and fail FLP206.
 */
import {
  DEFAULT_DEADLINE,
  durationProblem,
  PROBE_SETTINGS,
  type ProbeSettingValue,
  type ProbeTargets,
  parseDurationMs,
  probeSetting,
  probeTargets,
} from "../probe/contract.js";
import type { JsonPath } from "../taskdef/model.js";
import type { ContainerReading } from "./types.js";
import { arr } from "./values.js";

/** Where the probe reads its container list from. */
export type TargetsSource =
  /** The `--containers` flag: `field[index]` is the flag's value (`--containers=a,b`, or the item after `--containers`). */
  | {
      readonly kind: "flag";
      readonly field: "command" | "entryPoint";
      readonly index: number;
      /** `--containers=a,b` in one item (the value after `=`), or the value as an item of its own. */
      readonly inline: boolean;
      /** The value as written; `undefined` when only known at deploy time. */
      readonly value: string | undefined;
    }
  /** The variable (`FIRELENS_PREFLIGHT_CONTAINERS`), at this index of `environment`; absent when not set. */
  | { readonly kind: "env"; readonly index: number | undefined; readonly value: string | undefined };

export interface GateTargets {
  readonly targets: ProbeTargets;
  /** Where the container list that counts is written (the last `--containers` flag wins over the variable). */
  readonly containers: TargetsSource;
  /** camelCase path (relative to the task definition) a finding about the targets points at. */
  readonly path: JsonPath;
}

function lastFlag(c: ContainerReading, flag: string): TargetsSource | undefined {
  let found: TargetsSource | undefined;
  // The probe reads entryPoint then command as one argument list (Docker appends CMD to ENTRYPOINT).
  for (const field of ["entryPoint", "command"] as const) {
    const list = arr(c.definition[field] as unknown);
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (typeof item !== "string") continue;
      if (item === flag) {
        const next = list[i + 1];
        found = {
          kind: "flag",
          field,
          index: i + 1,
          inline: false,
          value: typeof next === "string" ? next : undefined,
        };
        i++;
      } else if (item.startsWith(`${flag}=`)) {
        found = { kind: "flag", field, index: i, inline: true, value: item.slice(flag.length + 1) };
      }
    }
  }
  return found;
}

/** The gate's targets as the probe reads them, and where its container list is written. */
export function gateTargets(c: ContainerReading): GateTargets {
  const values = new Map<string, string | undefined>();
  let path: JsonPath = ["containerDefinitions", c.index, "name"];
  for (const key of ["containers", "tags"] as const) {
    const entry = c.environment.get(PROBE_SETTINGS[key].env);
    if (entry === undefined) continue;
    values.set(PROBE_SETTINGS[key].env, entry.value);
    path = ["containerDefinitions", c.index, "environment", entry.index, "value"];
  }
  const args = [...arr(c.definition.entryPoint as unknown), ...arr(c.definition.command as unknown)];
  const flag = lastFlag(c, `--${PROBE_SETTINGS.containers.flag}`);
  const env = c.environment.get(PROBE_SETTINGS.containers.env);
  const containers: TargetsSource = flag ?? { kind: "env", index: env?.index, value: env?.value };
  if (flag?.kind === "flag") path = ["containerDefinitions", c.index, flag.field, flag.index];
  return { targets: probeTargets(values, args), containers, path };
}

/** A setting of a gate container that the probe would refuse: it then exits 2 in every task, and never opens. */
export interface GateSettingProblem {
  readonly kind: "refused" | "settle-too-long";
  readonly setting: "deadline" | "settle";
  /** What the probe would say (`0s is outside the probe's range, from 100ms to 24h`). */
  readonly problem: string;
  /** The values as written (for `settle-too-long`: both). */
  readonly deadline: string;
  readonly settle: string | undefined;
  /** camelCase path (relative to the task definition) of where the setting is written. */
  readonly path: JsonPath;
}

function settingPath(c: ContainerReading, setting: "deadline" | "settle", read: ProbeSettingValue): JsonPath {
  if (read.from === "env") {
    const entry = c.environment.get(PROBE_SETTINGS[setting].env);
    if (entry !== undefined) return ["containerDefinitions", c.index, "environment", entry.index, "value"];
  }
  if (read.from === "flag") {
    const flag = `--${PROBE_SETTINGS[setting].flag}`;
    const inCommand = arr(c.definition.command as unknown).some(
      (a) => typeof a === "string" && (a === flag || a.startsWith(`${flag}=`)),
    );
    return ["containerDefinitions", c.index, inCommand ? "command" : "entryPoint"];
  }
  return ["containerDefinitions", c.index, "name"];
}

/**
 * The gate's deadline and settle window as the probe reads them (flags win over variables), checked against the
 * probe's one grammar and range (its contract): what FLP209 reports, and why a gate that looks complete never
 * opens. Values only known at deploy time are not judged.
 */
export function gateSettingProblems(c: ContainerReading): GateSettingProblem[] {
  const environment = new Map<string, string | undefined>();
  for (const [name, entry] of c.environment) environment.set(name, entry.value);
  const args = [...arr(c.definition.entryPoint as unknown), ...arr(c.definition.command as unknown)];
  const reads = {
    deadline: probeSetting("deadline", environment, args),
    settle: probeSetting("settle", environment, args),
  };
  const deadline = reads.deadline.value ?? DEFAULT_DEADLINE;
  const settle = reads.settle.value;
  const out: GateSettingProblem[] = [];
  for (const setting of ["deadline", "settle"] as const) {
    const read = reads[setting];
    if (read.value === undefined) continue;
    const problem = durationProblem(setting, read.value);
    if (problem === undefined) continue;
    out.push({ kind: "refused", setting, problem, deadline, settle, path: settingPath(c, setting, read) });
  }
  // An explicit settle window must fit the deadline (the probe shrinks its default one to fit a short deadline).
  if (out.length > 0 || settle === undefined || reads.deadline.unknown) return out;
  const settleMs = parseDurationMs(settle) ?? 0;
  const deadlineMs = parseDurationMs(deadline) ?? Number.POSITIVE_INFINITY;
  if (settleMs < deadlineMs) return out;
  out.push({
    kind: "settle-too-long",
    setting: "settle",
    problem: `a settle window of ${settle} is not shorter than the deadline of ${deadline}`,
    deadline,
    settle,
    path: settingPath(c, "settle", reads.settle),
  });
  return out;
}
