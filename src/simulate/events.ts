/**
 * The event queue and the simulated clock: a binary heap ordered by time, then by insertion, so events at
 * the same instant run in the order they were scheduled (which keeps a seed's run reproducible).
 */
import { EventKind, type EventKindCode } from "./codes.js";
import type { Task } from "./task.js";

export interface SimEvent {
  readonly t: number;
  readonly seq: number;
  readonly kind: EventKindCode;
  readonly task: Task;
  /** The container it is about (0 for events about the task's target). */
  readonly container: number;
  /** containerExited: the exit code. */
  readonly exitCode: number;
  /** Target health events: the health plan they belong to (see `Task.healthPlanEpoch`). */
  readonly epoch: number;
}

const before = (a: SimEvent, b: SimEvent) => a.t < b.t || (a.t === b.t && a.seq < b.seq);

export class EventQueue {
  /** Simulated seconds since the deployment started. */
  now = 0;
  private readonly heap: SimEvent[] = [];
  private seq = 0;

  clear(): void {
    this.heap.length = 0;
    this.seq = 0;
    this.now = 0;
  }

  at(t: number, kind: EventKindCode, task: Task, container = 0): void {
    this.insert({ t, seq: this.seq++, kind, task, container, exitCode: 0, epoch: 0 });
  }

  exitAt(t: number, task: Task, container: number, exitCode: number): void {
    const kind = EventKind.containerExited;
    this.insert({ t, seq: this.seq++, kind, task, container, exitCode, epoch: 0 });
  }

  targetCheckAt(t: number, kind: EventKindCode, task: Task, epoch: number): void {
    this.insert({ t, seq: this.seq++, kind, task, container: 0, exitCode: 0, epoch });
  }

  pop(): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined) return undefined;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && before(h[r] as SimEvent, h[l] as SimEvent)) c = r;
        const child = h[c] as SimEvent;
        if (before(last, child)) break;
        h[i] = child;
        i = c;
      }
      h[i] = last;
    }
    top.task.pendingEvents--;
    return top;
  }

  private insert(ev: SimEvent): void {
    const h = this.heap;
    ev.task.pendingEvents++;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as SimEvent;
      if (before(parent, ev)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = ev;
  }
}
