/**
 * The service's tasks in one run: every task launched (for the trace), the ones that still matter (not
 * yet stopped, or still routed to), and pools of task objects reused from run to run.
 */
import { TaskState, TaskVersion, type TaskVersionCode } from "./codes.js";
import type { TaskDraws } from "./draws.js";
import type { TaskPlan } from "./plan.js";
import { Task } from "./task.js";

export class Fleet {
  /** Every task launched in this run, in launch order. */
  tasks: Task[] = [];
  /** Tasks not yet stopped, or stopped but still routed to. */
  active: Task[] = [];
  /** Keep target and failure logs (traceRun). */
  tracing = false;
  private readonly poolNew: Task[] = [];
  private readonly poolPrevious: Task[] = [];
  private nextId = 0;
  private newSerial = 0;
  private previousSerial = 0;

  constructor(
    private readonly plan: TaskPlan,
    private readonly previous: TaskPlan,
    private readonly draws: TaskDraws,
  ) {}

  startRun(tracing: boolean): void {
    for (const t of this.tasks) (t.version === TaskVersion.new ? this.poolNew : this.poolPrevious).push(t);
    this.tasks = [];
    this.active = [];
    this.tracing = tracing;
    this.nextId = 0;
    this.newSerial = 0;
    this.previousSerial = 0;
  }

  /** A task of `version` launched at `at`, with its random values drawn. */
  launch(version: TaskVersionCode, at: number): Task {
    const isNew = version === TaskVersion.new;
    const serial = isNew ? this.newSerial++ : this.previousSerial++;
    const pool = isNew ? this.poolNew : this.poolPrevious;
    const task = pool.pop() ?? new Task(isNew ? this.plan : this.previous);
    task.init(this.nextId++, serial, version, at, this.tracing);
    this.draws.draw(task);
    this.tasks.push(task);
    this.active.push(task);
    return task;
  }

  /** Drop the tasks that no longer matter from `active`. */
  prune(): void {
    const act = this.active;
    let j = 0;
    for (let i = 0; i < act.length; i++) {
      const t = act[i] as Task;
      if (t.state === TaskState.stopped && !t.routable) continue;
      act[j++] = t;
    }
    act.length = j;
  }

  routableCount(): number {
    let k = 0;
    for (const t of this.active) if (t.routable) k++;
    return k;
  }
}
