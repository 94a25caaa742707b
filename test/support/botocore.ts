/**
 * AWS's own RegisterTaskDefinition validation, offline: Debian's python3-botocore ships the ECS service model and
 * its ParamValidator. `.ci/run` installs it; locally a missing module skips the tests that need it, in CI it fails.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./botocore_validate.py", import.meta.url));

/** Why botocore cannot be used here, or `undefined` when it can. */
export function botocoreMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import botocore.validate"], { encoding: "utf8" });
  if (probe.status === 0) return undefined;
  const why = `${PYTHON} cannot import botocore (apt-get install python3-botocore)`;
  if (process.env.CI === "true") throw new Error(`${why}: CI must install it`);
  return why;
}

/** The validation report lines for each RegisterTaskDefinition input, in order. */
export function validateRegisterTaskDefinition(inputs: readonly unknown[]): string[][] {
  const out = execFileSync(PYTHON, [SCRIPT], {
    input: JSON.stringify(inputs),
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out) as string[][];
}

/** The RegisterTaskDefinition input a document stands for (ECS JSON, describe output, or a bare container list). */
export function registerInput(data: unknown): unknown {
  if (Array.isArray(data)) return { family: "from-container-definitions", containerDefinitions: data };
  if (typeof data === "object" && data !== null && "taskDefinition" in data) {
    return (data as { taskDefinition: unknown }).taskDefinition;
  }
  return data;
}
