/**
 * Versions of FireLens router images, as every part reads them: `[major, minor, patch]`, their order and spelling,
 * which Fluent Bit each aws-for-fluent-bit release ships (its CHANGELOG and release PRs), and the tags that move.
 * The model reads router images with these (router-image.ts); the rules' known-bug table, `fix` and the
 * constructs compare against them. A version these tables do not know is unknown, never safe.
 */

/** `[major, minor, patch]`; aws-for-fluent-bit builds like `2.32.5.20250101` keep the first three parts. */
export type Version = readonly [number, number, number];

/** Half-open range `[from, to)`; `to` undefined means "not fixed as far as we know". */
export interface VersionRange {
  readonly from: Version;
  readonly to?: Version;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function inRange(v: Version, r: VersionRange): boolean {
  return compareVersions(v, r.from) >= 0 && (r.to === undefined || compareVersions(v, r.to) < 0);
}

export function formatVersion(v: Version): string {
  return v.length === 3 ? `${v[0]}.${v[1]}.${v[2]}` : v.join(".");
}

/** `1.8.3`, `v1.8.3`, `2.32.5.20250101` → version; anything else → undefined. */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:\.\d+)?$/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * aws-for-fluent-bit release → Fluent Bit version (the aws-for-fluent-bit CHANGELOG). Exact entries and inclusive
 * ranges; a release outside every row is unknown.
 */
const AWS_TO_FLUENT_BIT: ReadonlyArray<{
  readonly from: Version;
  readonly to: Version;
  readonly fluentBit: Version;
}> = [
  { from: [2, 17, 0], to: [2, 17, 0], fluentBit: [1, 8, 1] },
  { from: [2, 18, 0], to: [2, 18, 0], fluentBit: [1, 8, 2] },
  { from: [2, 19, 0], to: [2, 19, 0], fluentBit: [1, 8, 3] },
  { from: [2, 19, 1], to: [2, 19, 2], fluentBit: [1, 8, 6] },
  { from: [2, 20, 0], to: [2, 20, 0], fluentBit: [1, 8, 7] },
  { from: [2, 21, 0], to: [2, 21, 0], fluentBit: [1, 8, 8] },
  { from: [2, 21, 1], to: [2, 21, 3], fluentBit: [1, 8, 9] },
  { from: [2, 21, 4], to: [2, 21, 4], fluentBit: [1, 8, 10] },
  { from: [2, 21, 5], to: [2, 21, 6], fluentBit: [1, 8, 11] },
  { from: [2, 22, 0], to: [2, 22, 0], fluentBit: [1, 8, 12] },
  { from: [2, 23, 0], to: [2, 23, 1], fluentBit: [1, 8, 13] },
  { from: [2, 23, 2], to: [2, 23, 2], fluentBit: [1, 8, 14] },
  { from: [2, 23, 3], to: [2, 23, 4], fluentBit: [1, 8, 15] },
  { from: [2, 24, 0], to: [2, 24, 0], fluentBit: [1, 9, 3] },
  { from: [2, 25, 0], to: [2, 25, 0], fluentBit: [1, 9, 3] },
  { from: [2, 26, 0], to: [2, 26, 0], fluentBit: [1, 9, 4] },
  { from: [2, 27, 0], to: [2, 27, 0], fluentBit: [1, 9, 6] },
  { from: [2, 28, 0], to: [2, 28, 0], fluentBit: [1, 9, 7] },
  { from: [2, 28, 1], to: [2, 28, 1], fluentBit: [1, 9, 8] },
  { from: [2, 28, 2], to: [2, 28, 5], fluentBit: [1, 9, 9] },
  // "Every 2.x release from 2.29.0 onward is Fluent Bit 1.9.10" (release PRs up to 2.34.2).
  { from: [2, 29, 0], to: [2, 999, 999], fluentBit: [1, 9, 10] },
  { from: [3, 0, 0], to: [3, 0, 0], fluentBit: [4, 1, 0] },
  { from: [3, 0, 1], to: [3, 0, 1], fluentBit: [4, 1, 1] },
  { from: [3, 1, 1], to: [3, 1, 1], fluentBit: [4, 2, 0] },
  { from: [3, 2, 0], to: [3, 2, 1], fluentBit: [4, 2, 2] },
];

export function fluentBitForAws(aws: Version): Version | undefined {
  for (const row of AWS_TO_FLUENT_BIT) {
    if (compareVersions(aws, row.from) >= 0 && compareVersions(aws, row.to) <= 0) return row.fluentBit;
  }
  return undefined;
}

/** Tags that move: the version behind them changes between deploys and cannot be read at lint time. */
export const MUTABLE_TAGS: ReadonlySet<string> = new Set([
  "latest",
  "stable",
  "mainline",
  "init-latest",
  "debug-latest",
  "latest-debug",
  "init-stable",
  "debug-stable",
  "windowsservercore-latest",
  "windowsservercore-stable",
]);
