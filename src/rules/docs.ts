/**
 * The rule pages under docs/rules/ (the SARIF `helpUri` targets), rendered from the catalogue so that
 * wording, sources and the router version table live in one place. `test/rules/docs.test.ts` fails when
 * the committed pages drift; `UPDATE_DOCS=1` rewrites them.
 */
import { PREFLIGHT_CONTAINER_NAME, PROBE_SETTINGS } from "../probe/contract.js";
import { rules as catalogue } from "./catalogue.js";
import { formatVersion, KNOWN_BUGS, type VersionRange } from "./data/router-versions.js";
import type { Rule } from "./types.js";

const FAMILY: Readonly<Record<string, string>> = {
  validity: "FLP1xx — what ECS rejects or can never satisfy",
  "deploy-safety": "FLP2xx — deploy safety",
  security: "FLP3xx — security and hygiene",
};

const GATE = PREFLIGHT_CONTAINER_NAME;
const CONTAINERS = PROBE_SETTINGS.containers.env;

/** Short examples for the pages: a document fragment that is flagged and one that passes. */
const EXAMPLES: Readonly<Record<string, { bad: string; good: string }>> = {
  FLP104: {
    bad: `{ "name": "${GATE}", "essential": true },
{ "name": "app", "dependsOn": [{ "containerName": "${GATE}", "condition": "SUCCESS" }] }`,
    good: `{ "name": "${GATE}", "essential": false },
{ "name": "app", "dependsOn": [{ "containerName": "${GATE}", "condition": "SUCCESS" }] }`,
  },
  FLP201: {
    bad: `{ "name": "log-router", "essential": true, "firelensConfiguration": { "type": "fluentbit" } },
{ "name": "app", "essential": true, "logConfiguration": { "logDriver": "awsfirelens", "options": { "Name": "datadog" } } }`,
    good: `{ "name": "log-router", "essential": true, "firelensConfiguration": { "type": "fluentbit" } },
{ "name": "${GATE}", "essential": false,
  "environment": [{ "name": "${CONTAINERS}", "value": "app" }],
  "dependsOn": [{ "containerName": "log-router", "condition": "START" }] },
{ "name": "app", "essential": true, "logConfiguration": { "logDriver": "awsfirelens", "options": { "Name": "datadog" } },
  "dependsOn": [{ "containerName": "${GATE}", "condition": "SUCCESS" }] }`,
  },
  FLP203: {
    bad: `"image": "amazon/aws-for-fluent-bit:stable"`,
    good: `"image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5"`,
  },
  FLP205: {
    bad: `"dependsOn": [{ "containerName": "${GATE}", "condition": "START" }]`,
    good: `"dependsOn": [{ "containerName": "${GATE}", "condition": "SUCCESS" }]`,
  },
  FLP206: {
    bad: `{ "name": "${GATE}", "command": ["sh", "-c", "echo preflight alive"] }`,
    good: `{ "name": "${GATE}", "environment": [{ "name": "${CONTAINERS}", "value": "app" }] }`,
  },
  FLP208: {
    bad: `Service:
  Type: AWS::ECS::Service
  Properties:
    TaskDefinition: !Ref Task`,
    good: `Service:
  Type: AWS::ECS::Service
  Properties:
    TaskDefinition: !Ref Task
    DeploymentConfiguration:
      DeploymentCircuitBreaker: { Enable: true, Rollback: true }`,
  },
  FLP210: {
    bad: `"image": "amazon/aws-for-fluent-bit:2.19.0",
"healthCheck": { "command": ["CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/health || exit 1"] }`,
    good: `"image": "amazon/aws-for-fluent-bit:2.19.0",
"healthCheck": { "command": ["CMD-SHELL", "curl -f http://127.0.0.1:2020/api/v1/uptime || exit 1"] }`,
  },
  // Whole container lists: test/rules/FLP211.test.ts lints them as they are written here.
  FLP211: {
    bad: `{ "name": "dd-agent", "image": "datadog/agent:7" },
{ "name": "log-router", "firelensConfiguration": { "type": "fluentbit" },
  "dependsOn": [{ "containerName": "dd-agent", "condition": "START" }] },
{ "name": "app", "logConfiguration": { "logDriver": "awsfirelens" } }`,
    good: `{ "name": "dd-agent", "image": "datadog/agent:7" },
{ "name": "log-router", "firelensConfiguration": { "type": "fluentbit" } },
{ "name": "app", "logConfiguration": { "logDriver": "awsfirelens" } }`,
  },
  FLP212: {
    bad: `"image": "amazon/aws-for-fluent-bit:2.19.0"   (router)
"options": { "Name": "datadog", "provider": "ecs" }   (app)`,
    good: `"image": "amazon/aws-for-fluent-bit:2.32.5"   (router)
"options": { "Name": "datadog", "provider": "ecs" }   (app)`,
  },
  FLP301: {
    // The flagged value must be one FLP301 flags: a placeholder such as `<the key>` is skipped.
    bad: `"environment": [{ "name": "DD_API_KEY", "value": "0123456789abcdef0123456789abcdef" }]`,
    good: `"secrets": [{ "name": "DD_API_KEY", "valueFrom": "arn:aws:secretsmanager:…:secret:dd-api-key" }],
"environment": [{ "name": "LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER", "value": "DEBUG" }]`,
  },
};

function ranges(rs: readonly VersionRange[]): string {
  if (rs.length === 0) return "—";
  return rs
    .map((r) =>
      r.to === undefined
        ? `≥ ${formatVersion(r.from)}`
        : `${formatVersion(r.from)} – < ${formatVersion(r.to)}`,
    )
    .join(", ");
}

function bugTable(): string[] {
  const lines = [
    "## Known bugs table",
    "",
    "From `src/rules/data/router-versions.ts` (facts from aws/aws-for-fluent-bit's CHANGELOG and fluent/fluent-bit issues; items A and B and E reproduced on real Fluent Bit builds). `startup` and `first-flush` crashes the task can reach make this rule an error; runtime bugs make it a warning.",
    "",
    "| id | bug | kind | when | needs | Fluent Bit affected | aws-for-fluent-bit affected | links |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const b of KNOWN_BUGS) {
    lines.push(
      `| ${b.id} | ${b.summary.replace(/\|/g, "\\|")} | ${b.kind} | ${b.trigger} | ${b.condition ?? "—"} | ${ranges(b.fluentBit)} | ${b.awsForFluentBit ? ranges(b.awsForFluentBit) : "by its Fluent Bit version"} | ${b.links.map((l) => `<${l}>`).join(" ")} |`,
    );
  }
  lines.push(
    "",
    "aws-for-fluent-bit releases map to Fluent Bit versions (from aws-for-fluent-bit's CHANGELOG, <https://github.com/aws/aws-for-fluent-bit/blob/mainline/CHANGELOG.md>): 2.17.0 → 1.8.1, 2.18.0 → 1.8.2, 2.19.0 → 1.8.3, 2.19.1–2.19.2 → 1.8.6, 2.20.0 → 1.8.7, … 2.23.x → 1.8.13–1.8.15, 2.24.0–2.28.x → 1.9.3–1.9.9, every 2.x from 2.29.0 → 1.9.10, 3.0.0 → 4.1.0, 3.0.1 → 4.1.1, 3.1.1 → 4.2.0, 3.2.0–3.2.1 → 4.2.2. Any other release, a moving tag, a digest without a tag, a custom image or an image only known at deploy time is reported as **unknown**, never as safe.",
    "",
  );
  return lines;
}

export function renderRuleDoc(rule: Rule): string {
  const m = rule.meta;
  const lines = [
    `# ${m.id}: ${m.title}`,
    "",
    `- **Severity:** ${m.severity}${
      m.messageSeverities
        ? ` (${Object.entries(m.messageSeverities)
            .map(([id, s]) => `\`${id}\`: ${s}`)
            .join(", ")})`
        : ""
    }`,
    `- **Family:** ${FAMILY[m.family] ?? m.family}`,
    `- **Fixed by \`firelens-preflight fix\`:** ${m.fixable === "gate" ? "yes" : "no"}`,
    "",
    "## Why",
    "",
    m.rationale,
    "",
    "## Messages",
    "",
    ...Object.entries(m.messages).map(([id, text]) => `- \`${id}\`: ${text}`),
    "",
  ];
  const ex = EXAMPLES[m.id];
  if (ex) {
    lines.push(
      "## Example",
      "",
      "Flagged:",
      "",
      "```",
      ex.bad,
      "```",
      "",
      "Passes:",
      "",
      "```",
      ex.good,
      "```",
      "",
    );
  }
  if (m.id === "FLP202") lines.push(...bugTable());
  lines.push("## Fix", "", m.fixHint, "", "## Sources", "", ...m.sources.map((s) => `- <${s}>`), "");
  lines.push(`Disable with \`--disable ${m.id}\`.`, "");
  return lines.join("\n");
}

export function renderRulesIndex(list: readonly Rule[] = catalogue): string {
  const lines = [
    "# Lint rules",
    "",
    "Generated from the catalogue (`src/rules/`); each page says why the rule exists, its sources and the fix.",
    "",
    "| id | title | severity | fixed by `fix` |",
    "| --- | --- | --- | --- |",
    ...list.map(
      (r) =>
        `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.title} | ${r.meta.severity} | ${r.meta.fixable === "gate" ? "yes" : ""} |`,
    ),
    "",
    "Some messages are reported below the rule's severity (an unknown router version is a warning; a known crash in a task the preflight gate already protects is a warning); each page lists them.",
    "",
    "Values chosen by a condition (CloudFormation `Fn::If`, a Terraform conditional on `var.x`) are read per branch: every rule runs on each assignment of the task's conditions, and a finding that holds in some branches only says when (`(when condition UseHealthCheck is false)`). Other values only known at deploy time (`Ref`, `var.x`) are treated as unknown: a rule that needs them stays silent, except where not knowing is itself the hazard (an unknown router version is reported as unknown, never as safe; containers that cannot be read are FLP200).",
    "",
    "## From code",
    "",
    "```ts",
    'import { parseDocument } from "firelens-preflight/taskdef";',
    'import { failsAt, formatText, lintResult } from "firelens-preflight/rules";',
    "",
    'const result = lintResult(parseDocument(text, "task-definition.json"), { disable: ["FLP203"] });',
    "process.stdout.write(formatText([result], { color: process.stdout.isTTY }));",
    'const failed = failsAt(result.findings, "error"); // what --fail-on error decides',
    "```",
    "",
    'Suppressions: `lintDocument(doc, { suppressions: [parseSuppression("FLP203[log-router]=we pin by digest in the deploy pipeline")] })` accepts one rule, or one container\'s finding, with a reason of at least 10 characters. Suppressed findings are still reported (text: dimmed with the reason; SARIF: `suppressions` with the reason as `justification`) but count toward nothing and never fail `--fail-on`.',
    "",
    "A rule is one file, `src/rules/FLPnnn-<slug>.ts`, exporting a `Rule` (`meta` and `check`); `check(context)` reads the task definition through `context.taskDefinition` and calls `context.report({ messageId, data, path })`. Wording lives only in `meta.messages`. A rule that throws becomes one internal-error finding; the others still run.",
    "",
  ];
  return lines.join("\n");
}
