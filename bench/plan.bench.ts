/**
 * `plan` on large tasks: the startup plan (`buildStartupPlan`: the task reading, its start edges, rounds, cycles
 * and what a router crash stops) for a 5,000-container dependency chain, which took 54 s when the graph work
 * was about n³ (issue 13). ECS allows 10 containers per task; this is about what a hostile or generated file
 * costs, not a real task. Median of a few runs after one warm-up, each on a freshly loaded document so no
 * cache helps.
 */
import { buildStartupPlan, renderPlanText } from "../src/plan/index.js";
import { parseDocument } from "../src/taskdef/index.js";
import type { BenchSection } from "./run.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** A router, then `n` containers each waiting for the one before it; `firelens`: all of them log through it. */
function chain(n: number, firelens: boolean): string {
  const containers: object[] = [
    {
      name: "log-router",
      image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
      essential: true,
      firelensConfiguration: { type: "fluentbit" },
    },
  ];
  for (let i = 0; i < n; i++) {
    containers.push({
      name: `c${i}`,
      image: "nginx",
      essential: i === n - 1,
      dependsOn: [{ containerName: i === 0 ? "log-router" : `c${i - 1}`, condition: "START" }],
      ...(firelens ? { logConfiguration: { logDriver: "awsfirelens", options: { Name: "stdout" } } } : {}),
    });
  }
  return JSON.stringify({ family: "chain", containerDefinitions: containers }, null, 2);
}

function time(text: string, runs: number): { parse: number; plan: number; render: number } {
  const parse: number[] = [];
  const plan: number[] = [];
  const render: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const doc = parseDocument(text, "chain.json");
    const t1 = performance.now();
    const td = doc.taskDefinitions[0];
    if (td === undefined) throw new Error("no task definition");
    const p = buildStartupPlan(td);
    const t2 = performance.now();
    renderPlanText(p);
    const t3 = performance.now();
    if (r === 0) continue; // warm-up
    parse.push(t1 - t0);
    plan.push(t2 - t1);
    render.push(t3 - t2);
  }
  return { parse: median(parse), plan: median(plan), render: median(render) };
}

export async function run(): Promise<BenchSection> {
  const n = 5000;
  const plain = time(chain(n, false), 5);
  const logging = time(chain(n, true), 5);
  return {
    title: "plan",
    figures: [
      {
        name: `buildStartupPlan, ${n.toLocaleString("en-US")}-container dependsOn chain`,
        value: `${plain.plan.toFixed(0)} ms`,
        goal: "≤ 1 s",
        met: plain.plan <= 1000,
        how: `median of 5 runs after a warm-up, each on a freshly parsed document (parse ${plain.parse.toFixed(0)} ms, text rendering ${plain.render.toFixed(0)} ms, not included)`,
      },
      {
        name: "same chain, every container logging through awsfirelens",
        value: `${logging.plan.toFixed(0)} ms`,
        goal: "≤ 1 s",
        met: logging.plan <= 1000,
        how: `the agent's implicit START edges to the router are added for each of the ${n.toLocaleString("en-US")} containers; text rendering ${logging.render.toFixed(0)} ms`,
      },
    ],
  };
}
