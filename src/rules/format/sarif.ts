/**
 * SARIF 2.1.0 for code scanning: every catalogue rule in `tool.driver.rules` with its docs page as
 * `helpUri`; one result per finding with a region from our source positions and the JSON path as a logical
 * location; files that could not be read and rules that failed go to the invocation's notifications, not to
 * results, because they are not findings about the user's code. Shaped after GitHub's requirements for
 * uploads (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
 * `driver.version`, `security-severity` on security rules, and paths relative to a `uriBaseId`.
 */
import { isAbsolute, posix, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { packageVersion } from "../../package-info.js";
import { rules as catalogue, ruleDocsUrl } from "../catalogue.js";
import { compareByPosition } from "../engine.js";
import type { Finding, LintFileResult, Rule, Severity } from "../types.js";

export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

export interface SarifOptions {
  /** `tool.driver.version`. @default this package's version */
  readonly toolVersion?: string;
  /**
   * Directory that file names are made relative to, recorded as the `%SRCROOT%` base
   * (`originalUriBaseIds`), so code scanning can place results even when files were named by absolute path.
   * Files outside it keep an absolute `file://` URI.
   * @default - relative names stay relative to `%SRCROOT%`, absolute ones become `file://` URIs
   */
  readonly srcRoot?: string;
  /** Rules listed in `tool.driver.rules`. @default the whole catalogue */
  readonly rules?: readonly Rule[];
  /** Indentation. @default 2 */
  readonly indent?: number;
}

/** SARIF levels happen to be our severities. */
const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = {
  error: "error",
  warning: "warning",
  note: "note",
};

/** `FLP201` + title → `UngatedApp`-style rule name (SARIF `name` should be an identifier-like string). */
function ruleName(rule: Rule): string {
  return rule.meta.title
    .replace(/[^A-Za-z0-9 ]+/g, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** A file name as a URI reference: forward slashes, percent-encoded. */
export function toUri(file: string): string {
  return encodeURI(file.replace(/\\/g, "/")).replace(/#/g, "%23").replace(/\?/g, "%3F");
}

/** The base every relative artifact URI is resolved against, as GitHub code scanning expects. */
export const SRCROOT = "%SRCROOT%";

/**
 * `artifactLocation` of a file: relative to `%SRCROOT%` where possible, else an absolute `file://` URI. A
 * relative name is normalised first (`./a/../b.json` → `b.json`): code scanning matches the URI against the
 * repository's paths as written, and one file named two ways would be two artifacts.
 */
function artifactLocation(file: string, srcRoot: string | undefined): { uri: string; uriBaseId?: string } {
  if (!isAbsolute(file)) return { uri: toUri(posix.normalize(file.replace(/\\/g, "/"))), uriBaseId: SRCROOT };
  if (srcRoot !== undefined) {
    const rel = relative(srcRoot, file);
    if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) {
      return { uri: toUri(rel.split(sep).join("/")), uriBaseId: SRCROOT };
    }
  }
  return { uri: pathToFileURL(file).href };
}

/**
 * GitHub's `security-severity` (a CVSS-like score: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low),
 * chosen per rule. Code scanning reads it from every rule tagged `security`, and every rule of the FLP3xx family
 * is (`tags: [family]`), so each one has a score here; the format tests hold every such rule to one.
 */
const SECURITY_SEVERITY: Readonly<Record<string, string>> = {
  // A plaintext API key in the task definition: readable by anyone who can describe the task definition.
  FLP301: "7.5",
  // A suppression that hides nothing exposes nothing by itself, but it silences the next finding of its rule
  // (FLP301 included) unseen, and a malformed one looks like a reviewed exception that is not there: low.
  FLP302: "3.0",
};

/**
 * 1-based line/column of character offsets in one text. The line starts are found once per file and each
 * lookup is a binary search, so a file with many findings costs one pass over its text, not one per finding.
 * A line ends at `\n` only; a CRLF's `\r` is the last column of its line.
 */
class LinePositions {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] as number) + 1 };
  }
}

/** FNV-1a, 32 bits, hex: a short stable fingerprint without a crypto dependency. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

function region(f: Finding, lines: LinePositions | undefined): Record<string, number> {
  const r: Record<string, number> = { startLine: f.location.line, startColumn: f.location.column };
  if (lines !== undefined && f.location.length > 0) {
    const end = lines.position(f.location.offset + f.location.length);
    r.endLine = end.line;
    r.endColumn = end.column;
    r.charOffset = f.location.offset;
    r.charLength = f.location.length;
  }
  return r;
}

/** One finding as a SARIF result, located in its artifact and fingerprinted so it survives moved lines. */
function sarifResult(
  f: Finding,
  lines: LinePositions | undefined,
  index: number | undefined,
  artifactLocation: Record<string, unknown>,
): unknown {
  return {
    ruleId: f.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation,
          region: region(f, lines),
        },
        logicalLocations: [
          {
            fullyQualifiedName: f.jsonPath,
            name: f.container ?? f.taskDefinition,
            kind: "member",
          },
        ],
      },
    ],
    // Stable across edits that move lines: rule, task definition, container and message kind.
    partialFingerprints: {
      "firelensPreflightFinding/v1": fnv1a(
        [f.ruleId, f.taskDefinition, f.container ?? "", f.messageId, f.container ? "" : f.jsonPath].join(
          "\u0000",
        ),
      ),
    },
    ...(f.suppressed === undefined
      ? {}
      : { suppressions: [{ kind: "external", status: "accepted", justification: f.suppressed.reason }] }),
    properties: { taskDefinition: f.taskDefinition, messageId: f.messageId },
  };
}

/** One rule's SARIF descriptor: what code scanning shows beside each alert. */
function sarifRule(rule: Rule): unknown {
  return {
    id: rule.meta.id,
    name: ruleName(rule),
    shortDescription: { text: rule.meta.title },
    fullDescription: { text: rule.meta.rationale },
    help: {
      text: `${rule.meta.fixHint}\n\nSources: ${rule.meta.sources.join(" ")}`,
      markdown: `${rule.meta.fixHint}\n\nSources:\n${rule.meta.sources.map((s) => `- <${s}>`).join("\n")}`,
    },
    helpUri: ruleDocsUrl(rule.meta.id),
    defaultConfiguration: { level: LEVEL[rule.meta.severity] },
    properties: {
      tags: [rule.meta.family],
      family: rule.meta.family,
      ...(SECURITY_SEVERITY[rule.meta.id] === undefined
        ? {}
        : { "security-severity": SECURITY_SEVERITY[rule.meta.id] }),
    },
  };
}

export function formatSarif(results: readonly LintFileResult[], options: SarifOptions = {}): string {
  const ruleList = [...(options.rules ?? catalogue)];
  const ruleIndex = new Map(ruleList.map((r, i) => [r.meta.id, i]));
  const locations = results.map((r) => artifactLocation(r.file, options.srcRoot));
  const artifacts = locations.map((location) => ({ location }));
  const version = options.toolVersion ?? packageVersion();
  const sarifResults: unknown[] = [];
  const notifications: unknown[] = [];

  results.forEach((r, artifactIndex) => {
    if (r.error !== undefined) {
      notifications.push({
        level: "error",
        message: { text: r.error.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { ...locations[artifactIndex], index: artifactIndex },
              ...(r.error.line === undefined
                ? {}
                : { region: { startLine: r.error.line, startColumn: r.error.column ?? 1 } }),
            },
          },
        ],
      });
      return;
    }
    // One pass over the text for all the file's findings (and none for a file without findings).
    const lines = r.text !== undefined && r.findings.length > 0 ? new LinePositions(r.text) : undefined;
    for (const f of [...r.findings].sort(compareByPosition)) {
      if (f.internalError) {
        notifications.push({
          level: "error",
          message: { text: f.message },
          associatedRule: {
            id: f.ruleId,
            ...(ruleIndex.has(f.ruleId) ? { index: ruleIndex.get(f.ruleId) } : {}),
          },
        });
        continue;
      }
      sarifResults.push(
        sarifResult(f, lines, ruleIndex.get(f.ruleId), {
          ...locations[artifactIndex],
          index: artifactIndex,
        }),
      );
    }
  });

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "firelens-preflight",
            informationUri: "https://github.com/firelens-preflight/firelens-preflight",
            version,
            semanticVersion: version,
            rules: ruleList.map(sarifRule),
          },
        },
        ...(options.srcRoot === undefined
          ? {}
          : {
              originalUriBaseIds: {
                [SRCROOT]: { uri: `${pathToFileURL(options.srcRoot).href.replace(/\/?$/, "/")}` },
              },
            }),
        artifacts,
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
          },
        ],
        results: sarifResults,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return `${JSON.stringify(log, null, options.indent ?? 2)}\n`;
}
