/** What a `fix` run may be asked to do. */
import type { RequireLevel } from "../probe/contract.js";

export interface GateOptions {
  /** Image of the probe; needed when a preflight container is added, unless the file already names one. */
  readonly probeImage?: string;
  /** Name of the preflight container. @default PREFLIGHT_CONTAINER_NAME, the seed's name */
  readonly name?: string;
  /** Containers to gate, instead of every essential app logging through awsfirelens. */
  readonly gate?: readonly string[];
  /** Lowest verification level the probe accepts. @default "auto" */
  readonly require?: RequireLevel;
  /** Probe deadline (e.g. `60s`). @default "60s" */
  readonly timeout?: string;
  /** Records per gated container. @default 3 */
  readonly records?: number;
  /** Point an eligible router at the monitoring config and give it an uptime healthCheck. @default false */
  readonly routerMonitoring?: boolean;
  /**
   * Gate a task whose router is non-essential too. Such an owner chose "lose logs, keep serving": a router crash
   * does not stop the task, so by default `fix` leaves it ungated and says so. @default false
   */
  readonly gateNonEssentialRouter?: boolean;
  /** Turn on deployment circuit breaker rollback on services running a gated task. @default true */
  readonly circuitBreaker?: boolean;
  /**
   * Send the probe's own output somewhere other than the router: `awslogs:<group>` or
   * `awslogs:<group>:<region>` (the region defaults to one an awslogs container of the task already uses).
   * A probe that logs through the router it checks loses its verdict when that router crashes; CloudWatch
   * Logs keeps the reason of a failed gate. @default the first gated container's awsfirelens configuration
   */
  readonly probeLogs?: string;
}
