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

/**
 * Memory as ECS counts it (reference ecs.md §5): each container reserves its `memoryReservation`, else its
 * `memory`, and the reservations together must fit the task memory; a hard limit (`memory`) only has to fit the
 * task memory on its own (a container whose limit equals the task memory, a common CDK shape, is fine). The gate
 * adds a reservation and no hard limit, so only the sum of reservations can stop it.
 */
function checkMemory(
  ctx: FixContext,
  td: TaskDefinitionView,
  added: GateContainerDefinition,
  fargate: boolean,
): void {
  const taskMem = parseTaskMemory(td.taskDefinition.memory as unknown);
  if (taskMem === undefined) return;
  const reserved = sumOf(td.containers, (c) => c.definition.memoryReservation ?? c.definition.memory);
  if (reserved === undefined) {
    ctx.notes.push(
      `${td.id}: a container's memory is not known until deploy time; check that the task memory holds ${added.memoryReservation} MiB more for '${added.name}'`,
    );
    return;
  }
  // Hard limits count each on its own against the task memory; one above it is the input's own problem (the
  // gate adds none), so it is said rather than refused.
  for (const c of td.containers) {
    const limit = num(c.definition.memory as unknown);
    if (limit !== undefined && limit > taskMem) {
      ctx.notes.push(
        `${td.id}: container '${c.name ?? `#${c.index}`}' has a hard memory limit of ${limit} MiB, above the task's ${taskMem} MiB`,
      );
    }
  }
  const need = reserved + added.memoryReservation;
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
    `task definition '${td.id}': the containers' memory reservations (memoryReservation, else memory) add up to ${reserved} MiB of the task's ${taskMem} MiB, and the preflight reserves ${added.memoryReservation} MiB more (${reserved} + ${added.memoryReservation} = ${need} > ${taskMem}); ${advice}, or lower another container's memory reservation. Nothing was written.`,
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
