/**
 * Passes when the preflight's probe configuration (`FIRELENS_PREFLIGHT_CONTAINERS` / `_TAGS`, or the
 * `--containers` / `--tags` flags) covers every awsfirelens container that waits for it.
 */
import type { ContainerView } from "../taskdef/model.js";
import { SRC } from "./sources.js";
import type { Rule } from "./types.js";
import { analyze, arr, cpath, environmentOf, label, quoteList, str, usesAwsFirelens } from "./util.js";

const CONTAINERS = "FIRELENS_PREFLIGHT_CONTAINERS";
const TAGS = "FIRELENS_PREFLIGHT_TAGS";

interface Targets {
  containers: string[];
  tags: string[];
  /** Some source is an intrinsic: the lists are incomplete. */
  unknown: boolean;
  /** Where to point a finding. */
  path: ReadonlyArray<string | number>;
}

function split(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function targets(p: ContainerView): Targets {
  const env = environmentOf(p.definition);
  const t: Targets = { containers: [], tags: [], unknown: false, path: cpath(p, "name") };
  for (const [name, key] of [
    [CONTAINERS, "containers"],
    [TAGS, "tags"],
  ] as const) {
    const e = env.get(name);
    if (e === undefined) continue;
    t.path = cpath(p, "environment", e.index, "value");
    if (e.value === undefined) t.unknown = true;
    else t[key].push(...split(e.value));
  }
  const args = [...arr(p.definition.entryPoint as unknown), ...arr(p.definition.command as unknown)];
  for (let i = 0; i < args.length; i++) {
    const arg = str(args[i]);
    if (arg === undefined) continue;
    for (const [flag, key] of [
      ["--containers", "containers"],
      ["--tags", "tags"],
    ] as const) {
      if (arg === flag) {
        const next = str(args[i + 1]);
        if (next === undefined) t.unknown = true;
        else t[key].push(...split(next));
      } else if (arg.startsWith(`${flag}=`)) {
        t[key].push(...split(arg.slice(flag.length + 1)));
      }
    }
  }
  return t;
}

/** FireLens outputs match `{container}-firelens*`, so any tag with that prefix reaches the container's output. */
function covers(t: Targets, name: string): boolean {
  return t.containers.includes(name) || t.tags.some((tag) => tag.startsWith(`${name}-firelens`));
}

export const FLP206: Rule = {
  meta: {
    id: "FLP206",
    title: "Preflight does not exercise the gated containers' outputs",
    severity: "error",
    family: "deploy-safety",
    rationale:
      "FireLens gives each awsfirelens container its own output, matched on `{container}-firelens*`. A crash on the first flush happens in the output the app's first logs hit, so the preflight must send records tagged for each gated container. A preflight that only echoes (as the incident's did) or probes other tags opens the gate without having tested the path that crashes.",
    sources: [SRC.firelensTaskDef, SRC.firelensConfiguration],
    fixHint:
      "Set FIRELENS_PREFLIGHT_CONTAINERS on the preflight to the comma-separated names of every container that waits for it (`firelens-preflight fix` does).",
    fixable: "gate",
    messages: {
      noTargets:
        "Preflight '{{preflight}}' sends no records through the outputs of the containers it gates ({{gated}}): set FIRELENS_PREFLIGHT_CONTAINERS.",
      notCovered:
        "Preflight '{{preflight}}' gates '{{container}}' but does not send records through its output: add it to FIRELENS_PREFLIGHT_CONTAINERS.",
    },
  },
  check(ctx) {
    const a = analyze(ctx.taskDefinition);
    for (const p of a.preflights) {
      if (p.name === undefined) continue;
      const gated = a.containers.filter(
        (c) =>
          c !== p &&
          usesAwsFirelens(c.definition) &&
          (a.deps[c.index] ?? []).some((d) => d.containerName === p.name),
      );
      if (gated.length === 0) continue;
      const t = targets(p);
      if (t.unknown) continue;
      if (t.containers.length === 0 && t.tags.length === 0) {
        ctx.report({
          messageId: "noTargets",
          data: { preflight: label(p), gated: quoteList(gated.map(label)) },
          path: t.path,
          container: p.name,
        });
        continue;
      }
      for (const g of gated) {
        if (g.name === undefined || covers(t, g.name)) continue;
        ctx.report({
          messageId: "notCovered",
          data: { preflight: label(p), container: label(g) },
          path: t.path,
          container: g.name,
        });
      }
    }
  },
};
