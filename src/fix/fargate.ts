/**
 * Task-level CPU/memory arithmetic: Fargate's valid pairs (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size), and whether the containers'
 * reservations plus the preflight's still fit the task.
 */

/** Valid Fargate (Linux) memory sizes in MiB for a task CPU in units. */
export function fargateMemoryOptions(cpu: number): number[] {
  const range = (from: number, to: number, step: number): number[] => {
    const out: number[] = [];
    for (let m = from; m <= to; m += step) out.push(m);
    return out;
  };
  switch (cpu) {
    case 256:
      return [512, 1024, 2048];
    case 512:
      return range(1024, 4096, 1024);
    case 1024:
      return range(2048, 8192, 1024);
    case 2048:
      return range(4096, 16384, 1024);
    case 4096:
      return range(8192, 30720, 1024);
    case 8192:
      return range(16384, 61440, 4096);
    case 16384:
      return range(32768, 122880, 8192);
    default:
      return [];
  }
}

export const FARGATE_CPUS: readonly number[] = [256, 512, 1024, 2048, 4096, 8192, 16384];

/** Task `cpu` as units: `"512"`, `512`, `"0.5 vCPU"`, `"1 vcpu"`. */
export function parseTaskCpu(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (m?.[1] === undefined) return undefined;
  const n = Number(m[1]);
  return m[2] === undefined ? n : Math.round(n * 1024);
}

/** Task `memory` as MiB: `"1024"`, `1024`, `"2 GB"`, `"2GB"`. */
export function parseTaskMemory(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb|mb|mib|gib)?\s*$/i.exec(value);
  if (m?.[1] === undefined) return undefined;
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  return unit === "gb" || unit === "gib" ? Math.round(n * 1024) : n;
}

/** The smallest valid Fargate memory at this CPU that holds `need` MiB, if any. */
export function fargateMemoryFor(cpu: number, need: number): number | undefined {
  return fargateMemoryOptions(cpu).find((m) => m >= need);
}
