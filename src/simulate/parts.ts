/**
 * The parts of one simulated deployment, as each part sees the others. The engine builds them once per
 * simulator; a part calls another through this object, because their calls go both ways (a container's
 * exit stops the task; a stopping task stops its containers).
 */
import type { ContainerLifecycle } from "./containers.js";
import type { EventQueue } from "./events.js";
import type { Fleet } from "./fleet.js";
import type { LogPath } from "./logpath.js";
import type { ServiceScheduler } from "./scheduler.js";
import type { TaskStopper } from "./stopping.js";
import type { TargetGroup } from "./targets.js";
import type { Traffic } from "./traffic.js";

export interface Parts {
  readonly queue: EventQueue;
  readonly fleet: Fleet;
  readonly traffic: Traffic;
  readonly targets: TargetGroup;
  readonly containers: ContainerLifecycle;
  readonly stopper: TaskStopper;
  readonly logs: LogPath;
  readonly scheduler: ServiceScheduler;
}
