/**
 * Passes when no API key, token or password sits in plain `environment`, log `options` or
 * `firelensConfiguration.options`. The value is never read into a message.
 */
import type { ContainerReading } from "../model/index.js";
import { SRC } from "./sources.js";
import { defineRule, type Report } from "./types.js";
import { arr, cpath, isObject, str } from "./util.js";

const SECRET_KEY =
  /(api[_-]?key|apikey|app[_-]?key|access[_-]?key|secret|token|passw(or)?d|passwd|\bpwd\b|_pwd$|credential|private[_-]?key|license[_-]?key|cloud_auth|http_auth|auth[_-]?header|dsn$)/i;
/** Keys that name a secret without holding it. */
const REFERENCE_KEY = /(_arn|_file|_path|_url|_uri|_name|_type|_mode|_header_name|_enabled|_id)$/i;
const HARMLESS_VALUE = /^(on|off|true|false|yes|no|none|null|)$/i;

/** A value that holds no secret of its own: empty, a switch, a placeholder, an ARN. */
function harmless(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "boolean" || typeof value === "number") return true;
  if (typeof value !== "string") return false;
  const v = value.trim();
  // Short numbers are settings (`TOKEN_TTL=3600`, `PASSWORD_MIN_LENGTH=12`), not credentials.
  return HARMLESS_VALUE.test(v) || /^\$\{[^}]+\}$/.test(v) || v.startsWith("arn:") || /^\d{1,5}$/.test(v);
}

/** Key names repeat across files (`Name`, `region`, `DD_API_KEY`): judge each spelling once. */
const keyMemo = new Map<string, boolean>();

function secretKey(key: string): boolean {
  let hit = keyMemo.get(key);
  if (hit === undefined) {
    hit = SECRET_KEY.test(key) && !REFERENCE_KEY.test(key);
    if (keyMemo.size > 4096) keyMemo.clear();
    keyMemo.set(key, hit);
  }
  return hit;
}

export function looksSecret(key: string, value: unknown): boolean {
  return secretKey(key) && !harmless(value);
}

export const FLP301 = defineRule({
  meta: {
    id: "FLP301",
    title: "Secret in plain environment or log options",
    severity: "error",
    family: "security",
    rationale:
      "Environment values and log options are stored in the task definition in clear text: anyone who can describe the task definition (or read its template, or the CI logs that print it) can read them. ECS injects secrets from Secrets Manager or SSM Parameter Store through `secrets` (environment) and `logConfiguration.secretOptions` (FireLens outputs), so the value never appears in the definition.",
    sources: [SRC.taskDefinitionParameters, SRC.firelensTaskDef, SRC.containerDefinition],
    fixHint:
      "Store the value in Secrets Manager or SSM Parameter Store and reference it with `secrets` (environment) or `logConfiguration.secretOptions` (log options); rotate the exposed value.",
    messages: {
      environment:
        "Container '{{container}}' sets '{{key}}' in plain environment; move it to secrets (valueFrom).",
      logOption:
        "Container '{{container}}' sets '{{key}}' in plain logConfiguration options; move it to secretOptions.",
      firelensOption:
        "Container '{{container}}' sets '{{key}}' in plain firelensConfiguration options; move it to a secret.",
    },
  },
  check(ctx) {
    for (const c of ctx.task.containers) scan(c, (r) => ctx.report(r));
  },
});

type SecretReport = Report<"environment" | "logOption" | "firelensOption">;

function scan(c: ContainerReading, report: (r: SecretReport) => void): void {
  const env = arr(c.definition.environment as unknown);
  for (let i = 0; i < env.length; i++) {
    const e = env[i];
    if (!isObject(e)) continue;
    const key = str(e.name);
    if (key === undefined || !looksSecret(key, e.value)) continue;
    report({
      messageId: "environment",
      data: { container: c.label, key },
      path: cpath(c, "environment", i, "value"),
      container: c.name,
    });
  }
  for (const [field, messageId] of [
    ["logConfiguration", "logOption"],
    ["firelensConfiguration", "firelensOption"],
  ] as const) {
    const holder: unknown = c.definition[field];
    if (!isObject(holder) || !isObject(holder.options)) continue;
    const options = holder.options;
    for (const key in options) {
      if (!looksSecret(key, options[key])) continue;
      report({
        messageId,
        data: { container: c.label, key },
        path: cpath(c, field, "options", key),
        container: c.name,
      });
    }
  }
}
