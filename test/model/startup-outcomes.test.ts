/**
 * Issue 23 items 1–5: what the ECS agent does with every container when one that ran exits, and how it orders
 * volumesFrom and links. Each case is a task shaped like the issue's; the agent functions that decide each
 * outcome are named in src/model/outcomes.ts (amazon-ecs-agent v1.61.2 / PR #3218 and later:
 * agent/engine/dependencygraph/graph.go and agent/engine/task_manager.go).
 */
import { describe, expect, it } from "vitest";
import {
  consequencesOfExit,
  type OutcomeRoles,
  outcomeOfExit,
  readTask,
  startOrder,
  type TaskReading,
} from "../../src/model/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

function taskOf(containers: unknown[], serviceConnect = false): TaskReading {
  const doc = parseDocument(JSON.stringify({ family: "t", containerDefinitions: containers }), "t.json");
  const td = doc.taskDefinitions[0];
  if (td === undefined) throw new Error("no task definition");
  return readTask(td, { serviceConnect });
}

function index(task: TaskReading, name: string): number {
  const c = task.byName.get(name);
  if (c === undefined) throw new Error(`no ${name}`);
  return c.index;
}

function roles(task: TaskReading): OutcomeRoles {
  return {
    ...(task.router === undefined ? {} : { router: task.router.index }),
    probes: task.gates.map((g) => g.index),
  };
}

/** Outcome by container name. */
function outcomes(
  task: TaskReading,
  exiting: string,
  code: number,
  given: OutcomeRoles = roles(task),
): Record<string, string> {
  const o = outcomeOfExit(task, index(task, exiting), code, given);
  return Object.fromEntries(o.nodes.map((n) => [task.nodes[n.node]?.name, n.outcome]));
}

const router = {
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.0",
  firelensConfiguration: { type: "fluentbit" },
};
const healthCheck = { command: ["CMD-SHELL", "exit 0"], interval: 5 };
const logs = { logDriver: "awsfirelens", options: { Name: "datadog" } };
const probe = {
  name: "log-router-preflight",
  essential: false,
  environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
  dependsOn: [{ containerName: "log-router", condition: "START" }],
};
const on = (name: string, condition: string) => ({ containerName: name, condition });

describe("1: a container that ran and exited never gets its START or COMPLETE waiters stopped with 143", () => {
  it("a failed gate: START and COMPLETE waiters before and after it start; only its SUCCESS waiter gets 143", () => {
    const task = taskOf([
      router,
      { name: "before-complete", essential: false, dependsOn: [on("log-router-preflight", "COMPLETE")] },
      { name: "before-start", essential: false, dependsOn: [on("log-router-preflight", "START")] },
      probe,
      { name: "after-start", essential: false, dependsOn: [on("log-router-preflight", "START")] },
      { name: "after-complete", essential: false, dependsOn: [on("log-router-preflight", "COMPLETE")] },
      { name: "app", logConfiguration: logs, dependsOn: [on("log-router-preflight", "SUCCESS")] },
    ]);
    expect(outcomes(task, "log-router-preflight", 1)).toEqual({
      "log-router": "starts",
      "before-complete": "starts-anyway",
      "before-start": "starts",
      "log-router-preflight": "exits",
      "after-start": "starts",
      "after-complete": "starts-anyway",
      app: "held-back",
    });
    const c = consequencesOfExit(task, index(task, "log-router-preflight"), 1, roles(task));
    expect(c.heldBack.map((i) => task.nodes[i]?.name)).toEqual(["app"]);
    expect(c.task).toBe("stops");
  });

  it("a crashed non-essential router: its START waiters are not stopped with 143, listed before or after it", () => {
    const task = taskOf([
      { name: "early", essential: false, logConfiguration: logs },
      { ...router, essential: false },
      { name: "app", logConfiguration: logs },
    ]);
    const o = outcomes(task, "log-router", 139);
    expect(o).toEqual({ early: "starts", "log-router": "exits", app: "starts" });
  });

  // The order rule is the agent's for containers that never started (HasNotAndWillNotStart is true only in the
  // pass that held it back, task_manager.go startContainerTransitions walks containers in task order): a waiter
  // listed after a held-back container gets 143 in the same pass; one listed before sees it STOPPED with 143.
  it("a held-back container: waiters after it get 143, waiters before it see a stopped container", () => {
    const task = taskOf([
      router,
      { name: "pre-complete", essential: false, dependsOn: [on("worker", "COMPLETE")] },
      { name: "pre-start", essential: false, dependsOn: [on("worker", "START")] },
      probe,
      { name: "worker", essential: false, dependsOn: [on("log-router-preflight", "SUCCESS")] },
      { name: "post-start", essential: false, dependsOn: [on("worker", "START")] },
      { name: "app", logConfiguration: logs },
    ]);
    expect(outcomes(task, "log-router-preflight", 1)).toEqual({
      "log-router": "starts",
      "pre-complete": "starts-anyway",
      "pre-start": "waits-forever",
      "log-router-preflight": "exits",
      worker: "held-back",
      "post-start": "held-back",
      app: "starts",
    });
    expect(outcomeOfExit(task, index(task, "log-router-preflight"), 1, roles(task)).task).toBe("hangs");
  });
});

describe("2: HEALTHY on a container that stopped without being healthy waits forever", () => {
  it("the task hangs before RUNNING: no 143, no stop", () => {
    const task = taskOf([
      router,
      { name: "migrate", essential: false, healthCheck },
      { name: "app", logConfiguration: logs, dependsOn: [on("migrate", "HEALTHY")] },
      { name: "worker", essential: false, dependsOn: [on("app", "START")] },
    ]);
    expect(outcomes(task, "migrate", 1)).toEqual({
      "log-router": "starts",
      migrate: "exits",
      app: "waits-forever",
      worker: "waits-forever",
    });
    const c = consequencesOfExit(task, index(task, "migrate"), 1, roles(task));
    expect(c.task).toBe("hangs");
    expect(c.taskStops).toBe(false);
    expect(c.heldBack).toEqual([]);
    expect(c.explanation).toContain("wait forever");
  });

  it("an essential container held back elsewhere still stops the task: the waiters are stopped with it", () => {
    const task = taskOf([
      router,
      { ...probe, healthCheck },
      { name: "app", logConfiguration: logs, dependsOn: [on("log-router-preflight", "SUCCESS")] },
      { name: "side", essential: false, dependsOn: [on("log-router-preflight", "HEALTHY")] },
    ]);
    expect(outcomes(task, "log-router-preflight", 1)).toEqual({
      "log-router": "starts",
      "log-router-preflight": "exits",
      app: "held-back",
      side: "stopped-with-task",
    });
  });
});

describe("3: a non-essential router that crashes", () => {
  it("the apps still start and the task runs without its router", () => {
    const task = taskOf([
      { ...router, essential: false },
      { name: "app", logConfiguration: logs },
      { name: "dd-agent", image: "public.ecr.aws/datadog/agent:7" },
    ]);
    const c = consequencesOfExit(task, index(task, "log-router"), 139, roles(task));
    expect(c.task).toBe("runs-without-router");
    expect(c.heldBack).toEqual([]);
    expect(c.starts.map((i) => task.nodes[i]?.name)).toEqual(["app", "dd-agent"]);
    expect(c.explanation).toContain("runs without its router");
  });

  it("with a probe gate, the probe sees the router die and exits 1, and the app is held back", () => {
    const task = taskOf([
      { ...router, essential: false },
      probe,
      { name: "app", logConfiguration: logs, dependsOn: [on("log-router-preflight", "SUCCESS")] },
    ]);
    const c = consequencesOfExit(task, index(task, "log-router"), 139, roles(task));
    expect(c.alsoExits).toEqual([{ node: index(task, "log-router-preflight"), exitCode: 1 }]);
    expect(c.heldBack).toEqual([index(task, "app")]);
    expect(c.task).toBe("stops");
  });

  it("a gate that only sleeps verifies nothing: it passes, the app starts, the router dies on its first flush", () => {
    const task = taskOf([
      { ...router, essential: false },
      { name: "wait", essential: false, command: ["sleep", "30"], dependsOn: [on("log-router", "START")] },
      { name: "app", logConfiguration: logs, dependsOn: [on("wait", "SUCCESS")] },
    ]);
    // Not a probe (plan counts a gate as one only when it carries the probe's settings): it exits 0 whatever the
    // router does, so everything starts before the first flush that kills the router.
    const sleeper = { router: index(task, "log-router"), probes: [] };
    expect(outcomes(task, "log-router", 139, sleeper)).toEqual({
      "log-router": "exits",
      wait: "starts",
      app: "starts",
    });
    expect(outcomeOfExit(task, index(task, "log-router"), 139, sleeper).task).toBe("runs-without-router");
  });
});

describe("4: Service Connect orders the task as the agent does", () => {
  it("every container waits for the proxy to be HEALTHY, and the proxy comes first", () => {
    const task = taskOf([router, { name: "app", logConfiguration: logs }], true);
    const order = startOrder(task);
    expect(order.stages.map((s) => s.map((i) => task.nodes[i]?.name))).toEqual([
      ["ecs-service-connect (added by ECS)"],
      ["log-router", "app"],
    ]);
  });
});

describe("5: volumesFrom waits for CREATE, links are name or name:alias", () => {
  it("a volumesFrom waiter is released with its source, a round before the source's START waiters", () => {
    const task = taskOf([
      { name: "config", essential: false },
      { name: "reader", volumesFrom: [{ sourceContainer: "config" }] },
      { name: "linked", links: ["config:cfg"] },
    ]);
    expect(task.edges.map((e) => [e.from, e.to, e.condition])).toEqual([
      [1, 0, "CREATE"],
      [2, 0, "START"],
    ]);
    const order = startOrder(task);
    expect(order.stages.map((s) => s.map((i) => task.nodes[i]?.name))).toEqual([
      ["config", "reader"],
      ["linked"],
    ]);
    // A CREATE waiter on a container that ran and stopped: CREATE counts a stopped container as created.
    expect(outcomes(task, "config", 1)).toEqual({ config: "exits", reader: "starts", linked: "starts" });
  });

  it("a link of three parts makes the agent refuse the task", () => {
    const task = taskOf([{ name: "db" }, { name: "web", links: ["db:database:extra"] }]);
    expect(task.refusal?.reason).toBe(
      '"web" has link "db:database:extra", which is neither "name" nor "name:alias" (Invalid link format)',
    );
    expect(startOrder(task).stages).toEqual([]);
    expect(taskOf([{ name: "db" }, { name: "web", links: ["db:database"] }]).refusal).toBeUndefined();
  });
});
