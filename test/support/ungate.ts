/**
 * The inverse of `fix` on a container list, for property tests that check the gate is all `fix` added: removes
 * the preflight container and every `dependsOn` entry on it, and drops a `dependsOn` the fix created.
 */
type Json = Record<string, unknown>;

/** Key names as the document spells them: camelCase in ECS JSON, PascalCase in templates. */
export interface ContainerKeys {
  readonly name: string;
  readonly dependsOn: string;
  readonly containerName: string;
}

export const CAMEL_KEYS: ContainerKeys = {
  name: "name",
  dependsOn: "dependsOn",
  containerName: "containerName",
};

export function ungate(
  containers: Json[],
  original: Json[],
  keys: ContainerKeys = CAMEL_KEYS,
  preflight = "log-router-preflight",
): Json[] {
  const out = structuredClone(containers).filter((c) => c[keys.name] !== preflight);
  out.forEach((c, i) => {
    const deps = c[keys.dependsOn];
    if (!Array.isArray(deps)) return;
    const kept = (deps as Json[]).filter((d) => d[keys.containerName] !== preflight);
    if (kept.length === 0 && original[i]?.[keys.dependsOn] === undefined) delete c[keys.dependsOn];
    else c[keys.dependsOn] = kept;
  });
  return out;
}
