/**
 * What we know about FireLens router images: which Fluent Bit (or aws-for-fluent-bit) versions carry known crash
 * or hang bugs, and which of them a task can reach. In the model so every part reads the same table: FLP202 lints
 * with it, `simulate` points at `rehearse` with it (issue 24 item 6). the rules' router-versions
 * data and conditions modules re-export it.
 *
 * Facts are from aws/aws-for-fluent-bit's CHANGELOG.md and release PRs (fix versions from `git tag --contains`
 * on fluent/fluent-bit; each bug below links its sources) and from recordings of real Fluent Bit 1.8.3,
 * 1.9.10 and 4.2.8. A version this table does not know is reported as unknown, never as safe. The table is
 * documented in docs/rules/FLP202.md.
 */
// The recordings: test/fixtures/fluent-bit/ (README items 1 and 2).

import { conditionPresence } from "./bug-conditions.js";
import { firelensTypeOf } from "./router.js";
import { routerImage } from "./router-image.js";
import type { TaskReading } from "./types.js";
import { formatVersion, inRange, type Version, type VersionRange } from "./versions.js";

/**
 * When a bug bites. `first-flush` and `startup` are what a gate exists for: they hit a fresh task before
 * or as it takes traffic. `runtime` bugs need load or time.
 */
export type BugTrigger = "startup" | "first-flush" | "runtime";

/**
 * What the task must do for the bug to be reachable. `datadog-provider-ecs`, `datadog-output`,
 * `cloudwatch-output`, `health-endpoint` and `custom-config` can be read from a task definition; the
 * others cannot, so they count as possible.
 */
export type BugCondition =
  | "datadog-provider-ecs"
  | "datadog-output"
  | "cloudwatch-output"
  | "health-endpoint"
  | "custom-config"
  | "many-keys"
  | "high-throughput";

export interface KnownBug {
  /** Row letter in the known-bugs table of docs/rules/FLP202.md (stable, used in data and docs). */
  readonly id: string;
  readonly summary: string;
  readonly kind: "crash" | "hang";
  readonly trigger: BugTrigger;
  readonly condition?: BugCondition;
  /** Upstream Fluent Bit versions affected. */
  readonly fluentBit: readonly VersionRange[];
  /**
   * aws-for-fluent-bit releases affected, when AWS's own patches make them differ from the Fluent Bit
   * version they ship (fixed earlier by a cherry-pick, or broken by a partial revert).
   */
  readonly awsForFluentBit?: readonly VersionRange[];
  readonly links: readonly string[];
}

export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    id: "A",
    summary:
      "out_datadog `provider ecs` tag remapping: use-after-free on the first flush when a later record's ECS tags outgrow the buffer sized from the first (SIGSEGV; reproduced on real 1.8.3)",
    kind: "crash",
    trigger: "first-flush",
    condition: "datadog-provider-ecs",
    fluentBit: [{ from: [1, 8, 0], to: [1, 9, 10] }],
    links: [
      "https://github.com/fluent/fluent-bit/pull/5929",
      "https://github.com/fluent/fluent-bit/pull/5930",
    ],
  },
  {
    id: "B",
    summary:
      "out_datadog `provider ecs`: negative buffer increase in the remapping fix (SIGSEGV/SIGABRT on the first flush; reproduced on upstream 1.9.10; 'Version 2.29.0 Causing Task to stop')",
    kind: "crash",
    trigger: "first-flush",
    condition: "datadog-provider-ecs",
    fluentBit: [{ from: [1, 9, 10], to: [2, 0, 9] }],
    awsForFluentBit: [{ from: [2, 29, 0], to: [2, 29, 1] }],
    links: [
      "https://github.com/aws/aws-for-fluent-bit/issues/491",
      "https://github.com/fluent/fluent-bit/pull/6786",
      "https://github.com/fluent/fluent-bit/pull/6750",
    ],
  },
  {
    id: "B2",
    summary:
      "aws-for-fluent-bit: 'a rare Datadog segfault that occurs when remapping tags' after the 2.29.1 partial revert, resolved in 2.31.3",
    kind: "crash",
    trigger: "runtime",
    condition: "datadog-provider-ecs",
    fluentBit: [],
    awsForFluentBit: [{ from: [2, 29, 1], to: [2, 31, 3] }],
    links: ["https://github.com/aws/aws-for-fluent-bit/blob/mainline/CHANGELOG.md"],
  },
  {
    id: "C",
    summary:
      "out_datadog has no network defaults (connect timeout 0, no keepalive): the first flush can hang",
    kind: "hang",
    trigger: "first-flush",
    condition: "datadog-output",
    fluentBit: [{ from: [1, 8, 0], to: [1, 8, 7] }],
    links: ["https://github.com/fluent/fluent-bit/issues/3952"],
  },
  {
    id: "D",
    summary: "DNS resolution timeouts after 1.8.5, confirmed by AWS for the datadog output",
    kind: "hang",
    trigger: "first-flush",
    condition: "datadog-output",
    fluentBit: [{ from: [1, 8, 5], to: [1, 8, 7] }],
    links: [
      "https://github.com/fluent/fluent-bit/issues/4050",
      "https://github.com/fluent/fluent-bit/issues/4042",
    ],
  },
  {
    id: "E",
    summary:
      "/api/v1/health requested before the first metrics push crashes the router (SIGSEGV; reproduced on real 1.8.3)",
    kind: "crash",
    trigger: "startup",
    condition: "health-endpoint",
    fluentBit: [{ from: [1, 8, 0], to: [1, 8, 7] }],
    links: [
      "https://github.com/fluent/fluent-bit/issues/3983",
      "https://github.com/fluent/fluent-bit/pull/4056",
    ],
  },
  {
    id: "F",
    summary: "record_modifier stack overflow for records with more than 128 keys (SIGSEGV)",
    kind: "crash",
    trigger: "runtime",
    condition: "many-keys",
    fluentBit: [{ from: [1, 0, 0], to: [1, 8, 7] }],
    links: [
      "https://github.com/fluent/fluent-bit/issues/2589",
      "https://github.com/fluent/fluent-bit/issues/3681",
    ],
  },
  {
    id: "G",
    summary: "openssl tls_net_read returns SSL errors as bytes read: HTTP client loops or hangs",
    kind: "hang",
    trigger: "runtime",
    fluentBit: [{ from: [1, 8, 0], to: [1, 8, 12] }],
    awsForFluentBit: [{ from: [2, 17, 0], to: [2, 20, 0] }],
    links: ["https://github.com/fluent/fluent-bit/issues/4098"],
  },
  {
    id: "H",
    summary: "hangs and crashes for high-throughput logs since 1.8.0 (SSL reset / broken pipe, then crash)",
    kind: "crash",
    trigger: "runtime",
    condition: "high-throughput",
    // Upstream fix version not recorded; AWS mitigated it in 2.20.0.
    fluentBit: [{ from: [1, 8, 0], to: [1, 9, 0] }],
    awsForFluentBit: [{ from: [2, 17, 0], to: [2, 20, 0] }],
    links: ["https://github.com/fluent/fluent-bit/issues/4040"],
  },
  {
    id: "I",
    summary: "frequent SIGSEGV reported on 1.8.7 to 1.9.0 (varied stacks; no fix recorded)",
    kind: "crash",
    trigger: "runtime",
    fluentBit: [{ from: [1, 8, 7], to: [1, 9, 1] }],
    links: ["https://github.com/fluent/fluent-bit/issues/4164"],
  },
  {
    id: "M",
    summary:
      "out_cloudwatch_logs invalid memory access (and an unexplained SIGSEGV on aws-for-fluent-bit 2.22.0)",
    kind: "crash",
    trigger: "runtime",
    condition: "cloudwatch-output",
    fluentBit: [{ from: [1, 8, 0], to: [1, 8, 12] }],
    awsForFluentBit: [{ from: [2, 17, 0], to: [2, 22, 1] }],
    links: [
      "https://github.com/fluent/fluent-bit/issues/4425",
      "https://github.com/aws/aws-for-fluent-bit/issues/300",
    ],
  },
  {
    id: "N",
    summary:
      "in_forward SIGSEGV when Mem_Buf_Limit is below Buffer_Max_Size on a unix socket (the FireLens layout)",
    kind: "crash",
    trigger: "runtime",
    condition: "custom-config",
    fluentBit: [{ from: [4, 0, 0] }],
    links: ["https://github.com/fluent/fluent-bit/issues/11113"],
  },
];

/** First Fluent Bit version whose `/api/v1/health` survives being asked before the first metrics push. */
export const HEALTH_ENDPOINT_SAFE_FROM: Version = [1, 8, 7];

/** Bugs affecting an image, given what it ships. */
/** Bugs by image: router images are memoized (`routerImage`), and every rule asks for the same few. */
const bugsMemo = new WeakMap<object, readonly KnownBug[]>();

export function bugsFor(image: {
  readonly aws?: Version;
  readonly fluentBit?: Version;
}): readonly KnownBug[] {
  let out = bugsMemo.get(image);
  if (out === undefined) {
    out = findBugs(image);
    bugsMemo.set(image, out);
  }
  return out;
}

function anyInRange(v: Version, ranges: readonly VersionRange[]): boolean {
  for (const r of ranges) if (inRange(v, r)) return true;
  return false;
}

function findBugs(image: { readonly aws?: Version; readonly fluentBit?: Version }): readonly KnownBug[] {
  const out: KnownBug[] = [];
  for (const bug of KNOWN_BUGS) {
    if (image.aws !== undefined && bug.awsForFluentBit !== undefined) {
      if (anyInRange(image.aws, bug.awsForFluentBit)) out.push(bug);
      continue;
    }
    const fb = image.fluentBit;
    if (fb !== undefined && anyInRange(fb, bug.fluentBit)) out.push(bug);
  }
  return out;
}

/** `https://github.com/fluent/fluent-bit/issues/3983` → `fluent-bit#3983`; other URLs unchanged. */
export function shortLink(url: string): string {
  const m = /^https:\/\/github\.com\/[^/]+\/([^/]+)\/(?:issues|pull)\/(\d+)/.exec(url);
  return m ? `${m[1]}#${m[2]}` : url;
}

/** Labels by bug (the table is fixed): messages name the same bugs on every file. */
const labels = new Map<KnownBug, string>();

/** `E (fluent-bit#3983)`, for messages. */
export function bugLabel(bug: KnownBug): string {
  let label = labels.get(bug);
  if (label === undefined) {
    const first = bug.links[0];
    label = first === undefined ? bug.id : `${bug.id} (${shortLink(first)})`;
    labels.set(bug, label);
  }
  return label;
}

/** How an image's version reads in a message: `aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)`. */
export function describeVersion(image: { readonly aws?: Version; readonly fluentBit?: Version }): string {
  if (image.aws !== undefined) {
    const fb =
      image.fluentBit === undefined
        ? "Fluent Bit version unknown"
        : `Fluent Bit ${formatVersion(image.fluentBit)}`;
    return `aws-for-fluent-bit ${formatVersion(image.aws)} (${fb})`;
  }
  return image.fluentBit === undefined
    ? "an unknown version"
    : `Fluent Bit ${formatVersion(image.fluentBit)}`;
}

/** A router whose image has a known crash on startup or on the first flush that its task can reach. */
export interface FirstFlushCrash {
  /** The router container's name. */
  readonly router: string;
  /** The image reference as written. */
  readonly image: string;
  /** `aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)`. */
  readonly version: string;
  /** The bugs, as `A (fluent-bit#5929)`. */
  readonly bugs: readonly string[];
}

/**
 * The task's routers with a known crash on startup or on the first flush that the task can reach: what FLP202
 * calls a known crash (a crash bug of the image's version, triggered at startup or on the first flush, whose
 * condition is not known absent from the task). `rehearse` shows such a crash on the machine before a deploy.
 */
export function knownFirstFlushCrashes(task: TaskReading): readonly FirstFlushCrash[] {
  const out: FirstFlushCrash[] = [];
  for (const router of task.firelensContainers) {
    const img = routerImage(router.imageText, firelensTypeOf(router.definition));
    if (img.kind === "fluentd" || img.fluentBit === undefined) continue;
    const bugs = bugsFor(img).filter(
      (b) =>
        b.kind === "crash" &&
        b.trigger !== "runtime" &&
        (b.condition === undefined || conditionPresence(b.condition, task) !== "no"),
    );
    if (bugs.length === 0) continue;
    out.push({
      router: router.name ?? `container-${router.index}`,
      image: img.ref?.text ?? router.imageText ?? "",
      version: describeVersion(img),
      bugs: bugs.map(bugLabel),
    });
  }
  return out;
}
