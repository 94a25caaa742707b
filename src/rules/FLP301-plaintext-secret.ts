/**
 * Passes when no API key, token or password sits in plain `environment`, log `options` or
 * `firelensConfiguration.options`. The value is never read into a message: it is named by its key and a
 * short fingerprint (`sha256:1a2b3c4d`), and every renderer masks it in source excerpts (src/model/secrets.ts).
 */
import { type ContainerReading, plainSecrets, type SecretField, secretFingerprint } from "../model/index.js";
import { SRC } from "./sources.js";
import { defineRule, type Report } from "./types.js";
import { cpath } from "./util.js";

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
        "Container '{{container}}' sets '{{key}}' ({{value}}) in plain environment; move it to secrets (valueFrom).",
      logOption:
        "Container '{{container}}' sets '{{key}}' ({{value}}) in plain logConfiguration options; move it to secretOptions.",
      firelensOption:
        "Container '{{container}}' sets '{{key}}' ({{value}}) in plain firelensConfiguration options; move it to a secret.",
    },
  },
  check(ctx) {
    for (const c of ctx.task.containers) scan(c, (r) => ctx.report(r));
  },
});

type SecretReport = Report<"environment" | "logOption" | "firelensOption">;

const MESSAGE_ID: Readonly<Record<SecretField, SecretReport["messageId"]>> = {
  environment: "environment",
  logConfiguration: "logOption",
  firelensConfiguration: "firelensOption",
};

/** How a message names the value without showing it. */
function secretValueLabel(value: unknown): string {
  return typeof value === "string" ? `value ${secretFingerprint(value)}` : "value known at deploy time";
}

function scan(c: ContainerReading, report: (r: SecretReport) => void): void {
  for (const s of plainSecrets(c.definition)) {
    report({
      messageId: MESSAGE_ID[s.field],
      data: { container: c.label, key: s.key, value: secretValueLabel(s.value) },
      path: cpath(c, ...s.path),
      container: c.name,
    });
  }
}
