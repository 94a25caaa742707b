/** Every rule, in id order. Read by the engine, the CLI, the docs, SARIF and the CDK NagPack. */
import { FLP101 } from "./FLP101-depends-on-unknown-container.js";
import { FLP102 } from "./FLP102-depends-on-self.js";
import { FLP103 } from "./FLP103-depends-on-cycle.js";
import { FLP104 } from "./FLP104-exit-condition-on-essential.js";
import { FLP105 } from "./FLP105-healthy-without-healthcheck.js";
import { FLP106 } from "./FLP106-no-essential-container.js";
import { FLP107 } from "./FLP107-firelens-router-count.js";
import { FLP108 } from "./FLP108-health-check-range.js";
import { FLP109 } from "./FLP109-container-timeout-range.js";
import { FLP110 } from "./FLP110-depends-on-condition.js";
import { FLP111 } from "./FLP111-field-type.js";
import { FLP112 } from "./FLP112-healthy-on-stoppable.js";
import { FLP200 } from "./FLP200-task-not-fully-read.js";
import { FLP201 } from "./FLP201-ungated-app.js";
import { FLP202 } from "./FLP202-router-known-crash.js";
import { FLP203 } from "./FLP203-mutable-router-tag.js";
import { FLP204 } from "./FLP204-preflight-essential.js";
import { FLP205 } from "./FLP205-preflight-wrong-condition.js";
import { FLP206 } from "./FLP206-preflight-coverage.js";
import { FLP207 } from "./FLP207-app-not-after-router.js";
import { FLP208 } from "./FLP208-service-circuit-breaker.js";
import { FLP209 } from "./FLP209-probe-duration-range.js";
import { FLP210 } from "./FLP210-router-health-endpoint.js";
import { FLP211 } from "./FLP211-router-depends-on.js";
import { FLP212 } from "./FLP212-datadog-provider-ecs.js";
import { FLP301 } from "./FLP301-plaintext-secret.js";
import { FLP302 } from "./FLP302-suppression-hides-nothing.js";
import type { Rule } from "./types.js";

export const rules: readonly Rule[] = [
  FLP101,
  FLP102,
  FLP103,
  FLP104,
  FLP105,
  FLP106,
  FLP107,
  FLP108,
  FLP109,
  FLP110,
  FLP111,
  FLP112,
  FLP200,
  FLP201,
  FLP202,
  FLP203,
  FLP204,
  FLP205,
  FLP206,
  FLP207,
  FLP208,
  FLP209,
  FLP210,
  FLP211,
  FLP212,
  FLP301,
  FLP302,
];

const byId = new Map(rules.map((r) => [r.meta.id.toUpperCase(), r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id.trim().toUpperCase());
}

export const DOCS_BASE = "https://github.com/firelens-preflight/firelens-preflight/blob/main/docs/rules/";

/** The rule's documentation page (SARIF `helpUri`). */
export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
