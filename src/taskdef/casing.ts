import { isIntrinsic } from "./values.js";

/**
 * CloudFormation spells ECS fields in PascalCase: the API's camelCase name with its first letter upper-cased,
 * except for a few all-caps acronyms (`EFSVolumeConfiguration`, `FSxWindowsFileServerVolumeConfiguration`, `IAM`;
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html).
 * Maps whose keys are user data keep them verbatim.
 */

const PASCAL_TO_CAMEL: Readonly<Record<string, string>> = {
  EFSVolumeConfiguration: "efsVolumeConfiguration",
  FSxWindowsFileServerVolumeConfiguration: "fsxWindowsFileServerVolumeConfiguration",
  IAM: "iam",
};

const CAMEL_TO_PASCAL: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(PASCAL_TO_CAMEL).map(([pascal, camel]) => [camel, pascal]),
);

/** camelCase parent keys whose object value is a user map (`Options`, `DockerLabels`, …). */
export const USER_MAP_KEYS: ReadonlySet<string> = new Set([
  "options",
  "dockerLabels",
  "driverOpts",
  "labels",
]);

export function toCamel(key: string): string {
  const special = PASCAL_TO_CAMEL[key];
  if (special !== undefined) return special;
  const first = key.charCodeAt(0);
  if (!(first >= 65 && first <= 90)) return key;
  let run = 0;
  while (run < key.length) {
    const c = key.charCodeAt(run);
    if (c >= 65 && c <= 90) run++;
    else break;
  }
  if (run === key.length) return key.toLowerCase();
  if (run === 1) return key.charAt(0).toLowerCase() + key.slice(1);
  // `EFSVolume` style: the last capital of the run starts the next word.
  const next = key.charCodeAt(run);
  const isLower = next >= 97 && next <= 122;
  const cut = isLower ? run - 1 : run;
  return key.slice(0, cut).toLowerCase() + key.slice(cut);
}

export function toPascal(key: string): string {
  const special = CAMEL_TO_PASCAL[key];
  if (special !== undefined) return special;
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * Convert a plain camelCase value (API shape) to the template's PascalCase, leaving user maps alone.
 * Intrinsic markers (`{kind: "intrinsic"}`) pass through; the editors write them in the file's own form.
 */
export function pascalize(value: unknown, userMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => pascalize(v, false));
  if (typeof value !== "object" || value === null) return value;
  if (isIntrinsic(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[userMap ? k : toPascal(k)] = pascalize(v, !userMap && USER_MAP_KEYS.has(k));
  }
  return out;
}
