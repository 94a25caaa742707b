/**
 * Issue 23 item 6: a gate that takes its targets from flags (`--containers` in its command or entryPoint). The
 * probe reads the flag before the variable, so `fix` must extend the flag: extending only the environment list
 * left FLP206 failing on fix's own output while `fix --check` said "unchanged".
 */
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { gateTargets, readTask } from "../../src/model/index.js";
import { targetsCover } from "../../src/probe/contract.js";
import { lintDocument } from "../../src/rules/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";

/** A task gated by hand for 'web'; a new app 'worker' was added since, not gated yet. */
function task(gateArgs: { command?: unknown[]; entryPoint?: unknown[] }, env = true): string {
  return `${JSON.stringify(
    {
      family: "shop",
      containerDefinitions: [
        {
          name: "log_router",
          image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
          essential: true,
          firelensConfiguration: { type: "fluentbit" },
        },
        {
          name: "log-router-preflight",
          image: PROBE,
          essential: false,
          ...gateArgs,
          ...(env ? { environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "web" }] } : {}),
          dependsOn: [{ containerName: "log_router", condition: "START" }],
        },
        {
          name: "web",
          image: "example/web:5",
          essential: true,
          dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }],
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "stdout" } },
        },
        {
          name: "worker",
          image: "example/worker:5",
          essential: true,
          logConfiguration: { logDriver: "awsfirelens", options: { Name: "stdout" } },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

function ids(text: string): string[] {
  return lintDocument(parseDocument(text, "td.json")).map((f) => f.ruleId);
}

function gateOf(text: string): Record<string, unknown> {
  const data = JSON.parse(text) as { containerDefinitions: Record<string, unknown>[] };
  return data.containerDefinitions.find((c) => c.name === "log-router-preflight") ?? {};
}

describe("a gate whose targets come from --containers", () => {
  const cases: [string, { command?: unknown[]; entryPoint?: unknown[] }, string, unknown][] = [
    [
      "command, flag and value apart",
      { command: ["--containers", "web"] },
      "command",
      ["--containers", "web,worker"],
    ],
    [
      "command, --containers=…",
      { command: ["--require", "auto", "--containers=web"] },
      "command",
      ["--require", "auto", "--containers=web,worker"],
    ],
    [
      "entryPoint",
      { entryPoint: ["node", "/probe.mjs", "--containers", "web"] },
      "entryPoint",
      ["node", "/probe.mjs", "--containers", "web,worker"],
    ],
  ];
  it.each(cases)(
    "%s: fix extends the flag, FLP206 is clean, a second fix changes nothing",
    (_, args, field, want) => {
      const text = task(args);
      const r = fixText(text, "td.json", { probeImage: PROBE });
      expect(r.changed).toBe(true);
      expect(gateOf(r.text)[field]).toEqual(want);
      // The variable the probe ignores (flags win) is left as it was.
      expect(gateOf(r.text).environment).toEqual([{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "web" }]);
      expect(ids(r.text)).not.toContain("FLP206");
      expect(ids(r.text)).not.toContain("FLP201");
      const again = fixText(r.text, "td.json", { probeImage: PROBE });
      expect(again.changed).toBe(false);
      // The model's reading of the fixed gate covers every gated app.
      const td = parseDocument(r.text, "td.json").taskDefinitions[0];
      if (td === undefined) throw new Error("no task definition");
      const reading = readTask(td);
      const gate = reading.gates[0];
      if (gate === undefined) throw new Error("no gate");
      const { targets } = gateTargets(gate);
      for (const app of ["web", "worker"]) expect(targetsCover(targets, app)).toBe(true);
    },
  );

  it("without a flag, the variable is extended as before", () => {
    const r = fixText(task({}), "td.json", { probeImage: PROBE });
    expect(gateOf(r.text).environment).toEqual([
      { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "web,worker" },
    ]);
    expect(ids(r.text)).not.toContain("FLP206");
  });

  it("lint reads the flag too: a gate whose flag misses an app it gates fails FLP206 even with the variable right", () => {
    const text = task({ command: ["--containers", "web"] }).replace(
      '"value": "web"',
      '"value": "web,worker"',
    );
    const withWorkerGated = text.replace(
      '"name": "worker",\n      "image": "example/worker:5",\n      "essential": true,',
      '"name": "worker",\n      "image": "example/worker:5",\n      "essential": true,\n      "dependsOn": [{ "containerName": "log-router-preflight", "condition": "SUCCESS" }],',
    );
    expect(withWorkerGated).not.toBe(text);
    expect(ids(withWorkerGated)).toContain("FLP206");
  });
});
