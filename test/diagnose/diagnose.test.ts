import { describe, expect, it } from "vitest";
import { diagnose, diagnoseTask } from "../../src/diagnose/index.js";
import type { Container, Task, TaskDiagnosis } from "../../src/diagnose/types.js";
import { FIX, input, SEED_SERVICES, SEED_TASKDEF, SEED_TASKS, taskDefinition } from "./helpers.js";

function only(d: { tasks: readonly TaskDiagnosis[] }): TaskDiagnosis {
  expect(d.tasks).toHaveLength(1);
  return d.tasks[0] as TaskDiagnosis;
}

function evidence(t: TaskDiagnosis, subject: string): string[] {
  return t.evidence.filter((e) => e.subject === subject).map((e) => e.text);
}

function ids(t: { prevention: readonly { kind: string; id?: string; command?: string }[] }): string[] {
  return t.prevention.map((p) => (p.kind === "rule" ? (p.id ?? "") : p.kind));
}

describe("the seed's incident", () => {
  const tasks = input(SEED_TASKS).tasks;
  const services = input(SEED_SERVICES).services;
  const td = taskDefinition(SEED_TASKDEF);

  it("names the router crash after the task could take traffic, with the task definition and service events", () => {
    const t = only(diagnose(tasks, { services, taskDefinition: td }));
    expect(t.kind).toBe("router-crash");
    expect(t.culprit).toBe("log-router");
    expect(t.traffic).toBe("after");
    expect(t.summary).toMatch(
      /^The log router crashed and stopped the task: 'log-router' exited 139 \(SIGSEGV/,
    );
    expect(t.summary).toContain("being essential,");
    expect(t.summary).toContain("after it could take traffic");
    expect(t.summary).toContain("502");
    expect(t.trafficBasis).toContain("a load-balancer target was registered while the task was up");
  });

  it("lists the evidence: stop code, reason, exit codes, timestamps, the registration event", () => {
    const t = only(diagnose(tasks, { services, taskDefinition: td }));
    const task = evidence(t, "task").join("\n");
    expect(task).toContain("stopCode EssentialContainerExited");
    expect(task).toContain('stoppedReason "Essential container in task exited"');
    expect(task).toContain("startedAt 2026-11-20T01:15:24.812Z");
    expect(task).toContain("stoppedAt 2026-11-20T01:15:58.471Z");
    expect(evidence(t, "log-router")[0]).toMatch(
      /\[log router, essential\].*exit 139 \(SIGSEGV\).*aws-for-fluent-bit:2\.19\.0/,
    );
    expect(evidence(t, "app")[0]).toContain("exit 143 (SIGTERM)");
    expect(evidence(t, "chain")[0]).toBe(
      "'log-router' exited first with 139 (SIGSEGV); 'dd-agent' and 'app' then exited 0/143: stopped by ECS as the task stopped",
    );
    const events = evidence(t, "event");
    expect(
      events.some((e) => e.includes("registered 1 targets") && e.includes("does not name the task")),
    ).toBe(true);
    expect(
      events.some((e) => e.includes("has stopped 1 running tasks: (task 7f3c2a9e1b4d4c6f8e0a5b1d9c7e3f21)")),
    ).toBe(true);
  });

  it("points at FLP201, fix and FLP202, and at FLP212 since the app uses datadog provider ecs", () => {
    const t = only(diagnose(tasks, { services, taskDefinition: td }));
    expect(ids(t)).toEqual(["FLP201", "fix", "FLP202", "FLP212"]);
    const fix = t.prevention.find((p) => p.kind === "fix");
    expect(fix?.kind === "fix" && fix.command).toContain("firelens-preflight fix");
  });

  it("without service events, says the traffic window is only likely", () => {
    const t = only(diagnose(tasks, { taskDefinition: td }));
    expect(t.traffic).toBe("likely-after");
    expect(t.summary).toContain("probably after it could take traffic");
  });

  it("without the task definition, infers roles and says the inference is weaker", () => {
    const t = only(diagnose(tasks, { services }));
    expect(t.kind).toBe("router-crash");
    expect(t.containers.find((c) => c.name === "log-router")?.roleSource).toBe("inferred");
    expect(t.summary).toContain("being essential (inferred:");
    expect(t.notes.join(" ")).toMatch(/inferred from container names and images, which is weaker evidence/);
    expect(ids(t)).toEqual(["FLP201", "fix", "FLP202"]);
  });

  it("reports the seed's service as lacking a circuit breaker", () => {
    const d = diagnose(tasks, { services, taskDefinition: td });
    expect(d.services).toHaveLength(1);
    expect(d.services[0]?.kind).toBe("in-progress");
    expect(d.services[0]?.prevention.map((p) => (p.kind === "rule" ? p.id : p.kind))).toEqual(["FLP208"]);
  });
});

describe("a gated deploy that failed", () => {
  const tasks = input(`${FIX}gated-deploy-tasks.json`).tasks;
  const services = input(`${FIX}gated-deploy-services.json`).services;
  const td = taskDefinition(`${FIX}gated-taskdef.json`);
  const d = diagnose(tasks, { services, taskDefinition: td });

  it("says the gate failed the task on purpose, with the probe's reason, before traffic", () => {
    const t = d.tasks[0] as TaskDiagnosis;
    expect(t.kind).toBe("gate-failed");
    expect(t.culprit).toBe("log-router-preflight");
    expect(t.traffic).toBe("before");
    expect(t.summary).toMatch(
      /^The gate failed the task on purpose: the preflight 'log-router-preflight' exited 1 \(verification failed\)/,
    );
    expect(t.summary).toContain('"output datadog.0 retried the probe records');
    expect(t.summary).toContain("(level reached: accepted)");
    expect(t.summary).toContain("the agent never started 'app' (exit 143, CannotStartContainerError)");
    expect(t.summary).toContain("before the app ever ran");
    expect(evidence(t, "chain")[0]).toContain("'app' never started (exit 143, CannotStartContainerError)");
    // The reason is known, so the --probe-logs advice is not needed.
    expect(t.prevention.some((p) => p.kind === "fix")).toBe(false);
    expect(ids(t)).toContain("FLP202");
  });

  it("names a router crash during the check as a crash before traffic, not as an ungated app", () => {
    const t = d.tasks[1] as TaskDiagnosis;
    expect(t.kind).toBe("router-crash");
    expect(t.traffic).toBe("before");
    expect(t.summary).toContain("'log-router' exited 139 (SIGSEGV, a crash signature)");
    expect(t.summary).toContain("before the app ever ran");
    expect(t.summary).toContain("the gate 'log-router-preflight' had failed (exit 1) and held the apps back");
    expect(ids(t)).not.toContain("FLP201");
    expect(ids(t)).toContain("FLP202");
  });

  it("finds the circuit-breaker rollback in the service", () => {
    const s = d.services[0];
    expect(s?.kind).toBe("circuit-breaker-rollback");
    expect(s?.summary).toContain(
      "rolled service 'backend' back from failed deployment ecs-svc/7093152846102938471",
    );
    expect(s?.summary).toContain("to ecs-svc/2298310546630518274");
    expect(
      s?.evidence.some((e) => e.text.includes("ECS deployment circuit breaker: tasks failed to start.")),
    ).toBe(true);
  });

  it("suggests fix --probe-logs when the gate failed without a reason", () => {
    const task = structuredClone(tasks[0]) as Task;
    const pre = task.containers?.find((c) => c.name === "log-router-preflight") as Container;
    pre.reason = undefined;
    const t = diagnoseTask(task, { taskDefinition: td });
    expect(t.kind).toBe("gate-failed");
    const fix = t.prevention.find((p) => p.kind === "fix");
    expect(fix?.kind === "fix" && fix.command).toContain("--probe-logs awslogs:");
  });

  it("reads a plain-text probe reason", () => {
    const task = structuredClone(tasks[0]) as Task;
    const pre = task.containers?.find((c) => c.name === "log-router-preflight") as Container;
    pre.reason = "router crashed after the first flush";
    const t = diagnoseTask(task, { taskDefinition: td });
    expect(t.summary).toContain('with "router crashed after the first flush"');
  });

  it("words exit 3 and exit 2 of the probe", () => {
    for (const [code, text] of [
      [3, "the router never became reachable"],
      [2, "because the probe is misconfigured"],
    ] as const) {
      const task = structuredClone(tasks[0]) as Task;
      const pre = task.containers?.find((c) => c.name === "log-router-preflight") as Container;
      pre.exitCode = code;
      pre.reason = undefined;
      expect(diagnoseTask(task, { taskDefinition: td }).summary).toContain(text);
    }
  });
});

describe("other chains", () => {
  it("names an out-of-memory kill", () => {
    const t = only(
      diagnose(input(`${FIX}oom-tasks.json`).tasks, { taskDefinition: taskDefinition(SEED_TASKDEF) }),
    );
    expect(t.kind).toBe("out-of-memory");
    expect(t.culprit).toBe("app");
    expect(t.summary).toBe(
      "'app' ran out of memory: it was killed (exit 137 (SIGKILL), OutOfMemoryError) and, being essential, stopped the task probably after it could take traffic (the app was running; nothing given shows the load balancer routing to it).",
    );
    expect(evidence(t, "app")[0]).toContain(
      'reason "OutOfMemoryError: Container killed due to memory usage"',
    );
    expect(t.prevention[0]?.kind).toBe("advice");
  });

  it("says a healthy gated task is running and the gate passed", () => {
    const parsed = input(`${FIX}healthy-tasks.json`);
    const d = diagnose(parsed.tasks, {
      taskDefinition: taskDefinition(`${FIX}gated-taskdef.json`),
      failures: parsed.failures,
    });
    const t = only(d);
    expect(t.kind).toBe("running");
    expect(t.traffic).toBe("not-applicable");
    expect(t.summary).toBe(
      "The task is RUNNING and HEALTHY; the gate 'log-router-preflight' passed (exit 0) and no container has failed.",
    );
    expect(t.prevention).toEqual([]);
    expect(d.failures).toEqual([
      "arn:aws:ecs:ap-northeast-1:123456789012:task/production/0123456789abcdef0123456789abcdef: MISSING",
    ]);
  });

  it("names an essential preflight whose clean exit stopped the task (FLP204)", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/abc",
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
      containers: [
        { name: "log-router", image: "amazon/aws-for-fluent-bit:2.32.5", lastStatus: "STOPPED", exitCode: 0 },
        { name: "log-router-preflight", lastStatus: "STOPPED", exitCode: 0 },
        { name: "app", lastStatus: "STOPPED", exitCode: 143 },
      ],
    };
    const td = taskDefinition(`${FIX}gated-taskdef.json`);
    const view = {
      ...td,
      containers: td.containers.map((c) =>
        c.name === "log-router-preflight" ? { ...c, definition: { ...c.definition, essential: true } } : c,
      ),
    };
    const t = diagnoseTask(task, { taskDefinition: view });
    expect(t.kind).toBe("essential-exited");
    expect(t.summary).toContain(
      "The preflight 'log-router-preflight' is essential, so its normal exit (0) stopped the task",
    );
    expect(ids(t)).toContain("FLP204");
  });

  it("names a router crash with SIGABRT (134) too", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/def",
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
      containers: [
        {
          name: "log_router",
          image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.29.0",
          lastStatus: "STOPPED",
          exitCode: 134,
        },
        { name: "web", lastStatus: "STOPPED", exitCode: 143 },
      ],
    };
    const t = diagnoseTask(task);
    expect(t.kind).toBe("router-crash");
    expect(t.summary).toContain("'log_router' exited 134 (SIGABRT, a crash signature)");
  });

  it("names a router exit without a crash signature", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/ghi",
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      containers: [
        { name: "log-router", image: "fluent/fluent-bit:4.2.8", lastStatus: "STOPPED", exitCode: 1 },
        { name: "web", lastStatus: "STOPPED", exitCode: 143 },
      ],
    };
    const t = diagnoseTask(task);
    expect(t.kind).toBe("router-exited");
    expect(t.summary).toContain("exited 1 (not a crash signature)");
  });

  it("names the app as the essential container that exited first", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/jkl",
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      startedAt: new Date("2026-01-01T00:00:10Z"),
      containers: [
        { name: "log-router", image: "amazon/aws-for-fluent-bit:2.32.5", lastStatus: "STOPPED", exitCode: 0 },
        { name: "web", lastStatus: "STOPPED", exitCode: 1 },
      ],
    };
    const t = diagnoseTask(task);
    expect(t.kind).toBe("essential-exited");
    expect(t.culprit).toBe("web");
    expect(t.summary).toMatch(/^'web' exited 1 and, being essential \(inferred/);
  });

  it("names a task that failed to start", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/mno",
      lastStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
      containers: [{ name: "web", lastStatus: "STOPPED" }],
    };
    const t = diagnoseTask(task);
    expect(t.kind).toBe("failed-to-start");
    expect(t.traffic).toBe("before");
    expect(t.summary).toBe(
      "The task failed to start: CannotPullContainerError: pull image manifest has been retried 5 time(s).",
    );
  });

  it("names a task stopped by the scheduler for failed health checks", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/pqr",
      lastStatus: "STOPPED",
      stopCode: "ServiceSchedulerInitiated",
      stoppedReason:
        "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/1)",
      containers: [{ name: "web", lastStatus: "STOPPED", exitCode: 143 }],
    };
    const t = diagnoseTask(task);
    expect(t.kind).toBe("stopped-externally");
    expect(t.summary).toContain("failed health checks: Task failed ELB health checks");
  });

  it("says so when every container was stopped by ECS and none can be named", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/stu",
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      containers: [
        { name: "web", lastStatus: "STOPPED", exitCode: 143 },
        { name: "worker", lastStatus: "STOPPED", exitCode: 137 },
      ],
    };
    const t = diagnoseTask(task);
    expect(t.kind).toBe("essential-exited");
    expect(t.culprit).toBeUndefined();
    expect(t.summary).toContain("does not say which one went first");
  });

  it("notes a task definition of another family", () => {
    const tasks = input(SEED_TASKS).tasks;
    const td = taskDefinition(SEED_TASKDEF);
    const other = { ...td, taskDefinition: { ...td.taskDefinition, family: "frontend" } };
    const t = only(diagnose(tasks, { taskDefinition: other }));
    expect(t.notes.join(" ")).toContain("family 'backend' but the task definition given is 'frontend'");
  });
});

describe("several task definitions, and a non-essential router", () => {
  it("picks the task definition by the task's family", () => {
    const tasks = input(SEED_TASKS).tasks;
    const seedTd = taskDefinition(SEED_TASKDEF);
    const other = {
      ...seedTd,
      id: "frontend",
      taskDefinition: { ...seedTd.taskDefinition, family: "frontend" },
    };
    const t = only(diagnose(tasks, { taskDefinition: [other, seedTd] }));
    expect(t.notes).toEqual([]);
    expect(t.containers.every((c) => c.roleSource === "task-definition")).toBe(true);
  });

  it("reports a running task whose non-essential router crashed", () => {
    const task: Task = {
      taskArn: "arn:aws:ecs:us-east-1:111122223333:task/c/vwx",
      lastStatus: "RUNNING",
      containers: [
        {
          name: "log-router",
          image: "amazon/aws-for-fluent-bit:2.19.0",
          lastStatus: "STOPPED",
          exitCode: 139,
        },
        { name: "web", lastStatus: "RUNNING" },
      ],
    };
    const t = diagnoseTask(task);
    expect(t.kind).toBe("running");
    expect(t.summary).toBe(
      "The task is RUNNING; 'log-router' exited 139 (SIGSEGV) without stopping it: the router is down and logs sent through it are lost.",
    );
  });
});
