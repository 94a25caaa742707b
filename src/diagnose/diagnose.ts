/**
 * Naming the chain that stopped a task, from what describe-tasks (and optionally describe-services and
 * the task definition) show. The ECS behaviour it rests on: an essential container's exit stops the task
 * (`stopCode` `EssentialContainerExited`, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html;
 * "essential" in https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html);
 * the agent stops the other containers with SIGTERM (143) and SIGKILL after stopTimeout (137); an
 * unresolvable SUCCESS dependency stops the dependent with exit 143 and `CannotStartContainerError`
 * (https://github.com/aws/amazon-ecs-agent/pull/3218); Fluent Bit crashes end in 139 (SIGSEGV) or 134
 * (SIGABRT), as `isCrashSignature` says.
 *
 * The work is split like the lint rules: `taskFacts` reads the task once, and the catalogue in `cases/`
 * names the chain.
 */

import { selectCase } from "./cases/index.js";
import { containerLine, taskLines } from "./evidence.js";
import { taskFacts } from "./facts.js";
import { diagnoseService } from "./services.js";
import type { DiagnoseOptions, Diagnosis, EvidenceLine, Task, TaskDiagnosis } from "./types.js";

export function diagnoseTask(task: Task, options: DiagnoseOptions = {}): TaskDiagnosis {
  const f = taskFacts(task, options);
  const v = selectCase(f).verdict(f);
  const evidence: EvidenceLine[] = [
    ...taskLines(task),
    ...f.containers.map(containerLine),
    ...f.chain,
    ...f.service.evidence,
  ];
  if (v.trafficBasis !== "") evidence.push({ subject: "traffic", text: `${v.traffic}: ${v.trafficBasis}` });
  return {
    taskArn: task.taskArn,
    taskId: f.taskId,
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    lastStatus: task.lastStatus,
    kind: v.kind,
    summary: v.summary,
    traffic: v.traffic,
    trafficBasis: v.trafficBasis,
    culprit: v.culprit,
    evidence,
    prevention: [...v.prevention],
    notes: [...f.roleNotes],
    containers: f.containers,
  };
}

/** Diagnose every task, and every service given (circuit-breaker rollbacks). */
export function diagnose(tasks: readonly Task[], options: DiagnoseOptions = {}): Diagnosis {
  const results = tasks.map((t) => diagnoseTask(t, options));
  const services = (options.services ?? []).map(diagnoseService);
  return {
    tasks: results,
    services,
    failures: (options.failures ?? []).map(
      (f) =>
        `${f.arn ?? "(no arn)"}: ${f.reason ?? "unknown reason"}${f.detail === undefined ? "" : ` (${f.detail})`}`,
    ),
    roleSource:
      results.length > 0 &&
      results.every((r) => r.containers.every((c) => c.roleSource === "task-definition"))
        ? "task-definition"
        : "inferred",
    inputNotes: options.inputNotes ?? [],
  };
}
