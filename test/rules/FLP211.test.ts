import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FLP211 } from "../../src/rules/FLP211-router-depends-on.js";
import { app, ecs, gate, lintWith, preflight, router, testRule } from "../support/rule-tester.js";

const agent = { name: "dd-agent", image: "datadog/agent:7" };
const routerAfterAgent = router({ dependsOn: [{ containerName: "dd-agent", condition: "START" }] });
const afterRouter = { dependsOn: [{ containerName: "log-router", condition: "START" }] };

testRule(FLP211, {
  valid: [
    ecs([router(), preflight(), app(gate)]),
    ecs([router({ dependsOn: [] }), app()]),
    {
      name: "every awsfirelens app waits on the router explicitly: no implicit edge is needed",
      code: ecs([agent, routerAfterAgent, app(afterRouter), app({ name: "worker", ...afterRouter })]),
    },
    {
      name: "the gated app waits on the router through the preflight, which waits on it",
      code: ecs([
        agent,
        routerAfterAgent,
        preflight({ logConfiguration: { logDriver: "awsfirelens", options: { Name: "stdout" } } }),
        app(gate),
      ]),
    },
    {
      name: "no container logs through awsfirelens: nothing to drop",
      code: ecs([agent, routerAfterAgent, { name: "web", image: "nginx:1.27", essential: true }]),
    },
  ],
  invalid: [
    {
      code: ecs([agent, routerAfterAgent, app()]),
      errors: [
        {
          messageId: "routerDependsOn",
          data: { container: "log-router", targets: "dd-agent START", apps: "'app'" },
          path: "$.containerDefinitions[1].dependsOn",
          severity: "warning",
        },
      ],
    },
    {
      name: "one app waits on the router, another does not: only that one is named",
      code: ecs([agent, routerAfterAgent, app(afterRouter), app({ name: "worker" })]),
      errors: [
        {
          messageId: "routerDependsOn",
          data: { container: "log-router", targets: "dd-agent START", apps: "'worker'" },
          path: "$.containerDefinitions[1].dependsOn",
        },
      ],
    },
    {
      name: "a link orders the router: same drop",
      code: ecs([agent, router({ links: ["dd-agent"] }), app()]),
      errors: [
        {
          messageId: "routerOrdered",
          data: { container: "log-router", targets: "dd-agent START", sources: "links", apps: "'app'" },
          path: "$.containerDefinitions[1].links",
        },
      ],
    },
  ],
});

describe("FLP211's page", () => {
  const page = readFileSync(join(import.meta.dirname, "../../docs/rules/FLP211.md"), "utf8");
  /** The containers of the code block after `label` on the page, as a task definition. */
  function taskOf(label: string): string {
    const block = new RegExp(`${label}:\\n\\n\`\`\`\\n([\\s\\S]*?)\`\`\``).exec(page)?.[1] ?? "";
    return ecs(JSON.parse(`[${block}]`) as object[]);
  }

  it("flags what it shows as flagged and passes what it shows as passing", () => {
    expect(lintWith(FLP211, taskOf("Flagged")).map((f) => f.ruleId)).toEqual(["FLP211"]);
    expect(lintWith(FLP211, taskOf("Passes"))).toEqual([]);
  });
});
