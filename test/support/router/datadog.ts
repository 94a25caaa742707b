/**
 * The request body out_datadog builds from a chunk, per version, as the recordings' `sinkRequests` show it:
 * `timestamp` (epoch ms), `ddsource`, `service`, the record's remaining keys (`log` renamed `message` on 4.x),
 * and with `provider ecs` the ECS metadata keys moved into `ddtags` (then `dd_tags` appended).
 */
import type { FluentEvent } from "./forward.js";
import type { Personality } from "./personality.js";

export interface DatadogOutputConfig {
  readonly ddSource?: string;
  readonly ddService?: string;
  readonly ddTags?: string;
  readonly providerEcs: boolean;
}

/** The record keys `provider ecs` turns into tags; a chunk without them first, then long ones, is the trigger. */
export const ECS_METADATA_KEYS = ["ecs_cluster", "ecs_task_arn", "container_name", "container_id"] as const;

function afterMarker(value: string, marker: string): string {
  const at = value.indexOf(marker);
  return at < 0 ? value : value.slice(at + marker.length);
}

function remapEcs(key: string, value: unknown): string[] | null {
  if (typeof value !== "string") return null;
  switch (key) {
    case "container_id":
      return [`container_id:${value}`];
    case "container_name":
      return [`container_name:${value.replace(/^\//, "")}`];
    case "container_image":
      return [`image_name:${value}`];
    case "ecs_cluster":
      return [`cluster_name:${afterMarker(value, "cluster/")}`];
    case "ecs_task_definition": {
      const [family, revision] = value.split(":");
      return revision === undefined
        ? [`task_family:${family}`]
        : [`task_family:${family}`, `task_version:${revision}`];
    }
    case "ecs_task_arn": {
      const region = value.split(":")[3];
      return [
        `task_arn:${value}`,
        ...(region ? [`region:${region}`] : []),
        `task_id:${afterMarker(value, "task/")}`,
      ];
    }
    default:
      return null;
  }
}

function jsonValue(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : v;
}

export function datadogRecord(
  p: Personality,
  cfg: DatadogOutputConfig,
  event: FluentEvent,
): Record<string, unknown> {
  const out: Record<string, unknown> = { timestamp: Math.round(event.time * 1000) };
  if (cfg.ddSource !== undefined) out.ddsource = cfg.ddSource;
  if (cfg.ddService !== undefined) out.service = cfg.ddService;
  const tags: string[] = [];
  for (const [key, value] of Object.entries(event.record)) {
    const remapped = cfg.providerEcs ? remapEcs(key, value) : null;
    if (remapped !== null) {
      tags.push(...remapped);
      continue;
    }
    out[p.renamesLogToMessage && key === "log" ? "message" : key] = jsonValue(value);
  }
  if (cfg.ddTags !== undefined) tags.push(cfg.ddTags);
  if (tags.length > 0) out.ddtags = tags.join(",");
  return out;
}

function metadataLength(e: FluentEvent): number {
  return ECS_METADATA_KEYS.reduce((n, k) => {
    const v = e.record[k];
    return n + (typeof v === "string" ? v.length : 0);
  }, 0);
}

/**
 * README item 2: the remapped-tags buffer is sized from a chunk's first record and overrun by a later record
 * with much longer ECS metadata. Recorded: first record without metadata, second with 2 KB values (1.8.3 and
 * 1.9.10 die). Behind the FireLens metadata filter (short metadata first) only 1.8.3 died, so `strict` (1.9.10)
 * only counts a first record without any metadata. "Much longer" is taken as 1 KB more: small differences fit
 * in the allocation's slack, and no recording shows them crashing.
 */
export function isProviderEcsTrigger(events: readonly FluentEvent[], strict = false): boolean {
  const [first, ...rest] = events;
  if (first === undefined) return false;
  const hasMetadata = ECS_METADATA_KEYS.some((k) => k in first.record);
  if (strict && hasMetadata) return false;
  const base = metadataLength(first);
  return rest.some((e) => metadataLength(e) - base >= 1024);
}
