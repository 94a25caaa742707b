/**
 * Worker thread for `simulateAsync({ workers })`: runs ranges of deployments and sends back the per-run
 * tables (their buffers are transferred, not copied). Run i draws from seed (seed, i) here as anywhere,
 * so results do not depend on how runs are split over workers.
 */
import { parentPort, workerData } from "node:worker_threads";
import { DeploymentSimulator } from "./engine.js";
import { COLUMNS, newTable, runRange } from "./montecarlo.js";
import type { TaskPlan } from "./plan.js";
import type { Scenario } from "./scenario.js";

export interface WorkerInit {
  readonly plans: readonly TaskPlan[];
  readonly previous: TaskPlan;
  readonly scenario: Scenario;
  readonly seed: number;
}

export interface WorkerJob {
  readonly from: number;
  readonly to: number;
}

const init = workerData as WorkerInit;
const sims = init.plans.map((p) => new DeploymentSimulator(p, init.previous, init.scenario));

parentPort?.on("message", (job: WorkerJob) => {
  const tables = sims.map((sim) => {
    const t = newTable(job.to - job.from);
    runRange(sim, init.seed, job.from, job.to, t, job.from);
    return t;
  });
  const buffers = tables.flatMap((t) => COLUMNS.map((c) => t[c].buffer as ArrayBuffer));
  parentPort?.postMessage({ from: job.from, to: job.to, tables }, buffers);
});
