/**
 * The parts of `lint` and `check` text output a CI log is read by: the findings, one summary line at the
 * very end (what a reviewer scrolls to), and one line for the files a walk skipped instead of one per file.
 */
import { countBySeverity, type Finding, formatText, type LintFileResult } from "../rules/index.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Results about task-definition inputs (not the config file's unused suppressions). */
function inputResults(results: readonly LintFileResult[]): readonly LintFileResult[] {
  return results.filter((r) => r.format !== "config");
}

/** `2 errors, 1 warning, 0 notes in 3 files; 1 suppressed` (and how many files could not be read). */
export function summaryLine(results: readonly LintFileResult[]): string {
  const all: Finding[] = results.flatMap((r) => r.findings);
  const n = countBySeverity(all);
  const inputs = inputResults(results);
  const unreadable = inputs.filter((r) => r.error !== undefined).length;
  const suppressed = all.filter((f) => f.suppressed !== undefined).length;
  const read = inputs.length - unreadable;
  return (
    `${plural(n.error, "error")}, ${plural(n.warning, "warning")}, ${plural(n.note, "note")} in ${plural(read, "file")}; ` +
    `${suppressed} suppressed${unreadable > 0 ? `; ${plural(unreadable, "file")} could not be read` : ""}`
  );
}

/**
 * The findings as text, without the renderer's own closing line (the summary line replaces it). `quiet`
 * leaves out suppressed findings too: they need nobody's attention.
 */
export function findingsText(
  results: readonly LintFileResult[],
  options: { color: boolean; source?: boolean; quiet?: boolean },
): string {
  const shown =
    options.quiet === true
      ? results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.suppressed === undefined) }))
      : results;
  // The run's own summary line follows, so formatText's count is left out.
  return formatText(shown, { color: options.color, source: options.source, summary: false }).trimEnd();
}

export interface Skipped {
  readonly file: string;
  readonly why: string;
  /** Set when the user can make this install read the file (the optional HCL packages): what to do. */
  readonly remedy?: string;
}

const EXCLUDED = "excluded by the config";

/** Notes for skipped files: each with its reason under `--verbose`, else one line with the count. */
export function skippedNotes(skipped: readonly Skipped[], verbose: boolean): string[] {
  if (skipped.length === 0) return [];
  if (verbose) return skipped.map((s) => `note: ${s.file}: skipped (${s.why})`);
  // What the user can do about a skip (install the HCL packages) is said once, not folded into the count.
  const remedies = [...new Set(skipped.flatMap((s) => (s.remedy === undefined ? [] : [s.remedy])))];
  const needing = skipped.filter((s) => s.remedy !== undefined).length;
  const excluded = skipped.filter((s) => s.why === EXCLUDED).length;
  const other = skipped.length - excluded - needing;
  const parts = [
    ...(other === 1 ? ["1 file that is not a task definition"] : []),
    ...(other > 1 ? [`${other} files that are not task definitions`] : []),
    ...(excluded > 0 ? [`${plural(excluded, "file")} excluded by the config`] : []),
    ...(needing > 0 ? [`${plural(needing, "file")} this install cannot read`] : []),
  ];
  return [
    `note: skipped ${parts.join(" and ")} (--verbose lists them)`,
    ...remedies.map((r) => `note: ${r}`),
  ];
}
