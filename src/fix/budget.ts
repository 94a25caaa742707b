/** Refusing a gate the task's cpu/memory cannot hold, with the nearest size that would. */
import { arr, num, str } from "../model/index.js";
import type { ContainerView, TaskDefinitionView } from "../taskdef/model.js";
import type { FixContext, GateContainerDefinition } from "./context.js";
import { FixError } from "./errors.js";
import { FARGATE_CPUS, fargateMemoryFor, parseTaskCpu, parseTaskMemory } from "./fargate.js";

function sumOf(
  containers: readonly ContainerView[],
  pick: (c: ContainerView) => unknown,
): number | undefined {
  let total = 0;
  for (const c of containers) {
    const v = pick(c);
    if (v === undefined || v === null) continue;
    const n = num(v);
    if (n === undefined) return undefined;
    total += n;
  }
  return total;
}

function checkMemory(
  ctx: FixContext,
  td: TaskDefinitionView,
  added: GateContainerDefinition,
  fargate: boolean,
): void {
  const taskMem = parseTaskMemory(td.taskDefinition.memory as unknown);
  if (taskMem === undefined) return;
  const used = sumOf(td.containers, (c) => c.definition.memory ?? c.definition.memoryReservation);
  if (used === undefined) {
    ctx.notes.push(
      `${td.id}: a container's memory is not known until deploy time; check that the task memory holds ${added.memoryReservation} MiB more for '${added.name}'`,
    );
    return;
  }
  const need = used + added.memoryReservation;
  if (need <= taskMem) return;
  const cpu = parseTaskCpu(td.taskDefinition.cpu as unknown) ?? 0;
  const next = fargate ? fargateMemoryFor(cpu, need) : undefined;
  const advice = !fargate
    ? `raise the task memory to at least ${need} MiB`
    : next !== undefined
      ? `raise the task memory to ${next} MiB (a valid Fargate size for cpu ${cpu})`
      : `raise the task cpu and memory to a larger Fargate size (cpu ${cpu} cannot have ${need} MiB)`;
  throw new FixError(
    "budget",
    ctx.doc.file,
    `task definition '${td.id}': the containers reserve ${used} MiB of the task's ${taskMem} MiB and the preflight needs ${added.memoryReservation} MiB more (${need} > ${taskMem}); ${advice}, or lower another container's memory reservation. Nothing was written.`,
  );
}

function checkCpu(
  ctx: FixContext,
  td: TaskDefinitionView,
  added: GateContainerDefinition,
  fargate: boolean,
): void {
  const taskCpu = parseTaskCpu(td.taskDefinition.cpu as unknown);
  if (taskCpu === undefined) return;
  const used = sumOf(td.containers, (c) => c.definition.cpu);
  if (used === undefined || used + added.cpu <= taskCpu) return;
  const need = used + added.cpu;
  const bigger = FARGATE_CPUS.find((c) => c >= need);
  const advice =
    fargate && bigger !== undefined
      ? `raise the task cpu to ${bigger} (with a memory size valid for it)`
      : `raise the task cpu to at least ${need}`;
  throw new FixError(
    "budget",
    ctx.doc.file,
    `task definition '${td.id}': the containers reserve ${used} of the task's ${taskCpu} CPU units and the preflight needs ${added.cpu} more (${need} > ${taskCpu}); ${advice}, or lower another container's cpu. Nothing was written.`,
  );
}

/** Throws `FixError` kind `budget` when the task's cpu/memory cannot also hold the gate. */
export function checkBudget(ctx: FixContext, td: TaskDefinitionView, added: GateContainerDefinition): void {
  const compat = arr(td.taskDefinition.requiresCompatibilities as unknown).map((v) => str(v));
  const fargate = compat.includes("FARGATE");
  checkMemory(ctx, td, added, fargate);
  checkCpu(ctx, td, added, fargate);
}
