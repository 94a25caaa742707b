/**
 * A gate container's targets as the probe itself will read them (its contract's `probeTargets`: flags win over
 * variables), and where each list is written, so `fix` extends the setting that counts and lint (FLP206) checks
 * the same one. One reading for both: a gate whose `--containers` flag `fix` left alone while it extended the
 * variable would pass `fix --check` and fail FLP206.
 */
import { PROBE_SETTINGS, type ProbeTargets, probeTargets } from "../probe/contract.js";
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
