/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding: annotations on the
 * pull request without code scanning. Suppressed findings are left out (they were accepted on purpose and
 * would only add noise to the diff view); files that could not be read are errors at their location. Escaping
 * is GitHub's own (actions/toolkit `command.ts`): data escapes `%`, CR and LF; property values escape `:` and
 * `,` too, so a file name or message can never end a command early or forge another.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */
import { isAbsolute, relative, sep } from "node:path";
import { compareByPosition } from "../engine.js";
import type { Finding, LintFileResult, Severity } from "../types.js";

export interface GithubOptions {
  /**
   * Directory file names are made relative to (GitHub places annotations by repository-relative path).
   * @default - names are printed as given
   */
  readonly srcRoot?: string;
}

const COMMAND: Readonly<Record<Severity, "error" | "warning" | "notice">> = {
  error: "error",
  warning: "warning",
  note: "notice",
};

/** A command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A command's property value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(
  name: string,
  properties: Readonly<Record<string, string | number>>,
  message: string,
): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name} ${props}::${escapeData(message)}`;
}

function shownFile(file: string, srcRoot: string | undefined): string {
  if (srcRoot === undefined || !isAbsolute(file)) return file.split(sep).join("/");
  const rel = relative(srcRoot, file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel.split(sep).join("/");
}

/** The 1-based line a finding ends on, from its length in the source text. */
function endLine(f: Finding, text: string | undefined): number {
  if (text === undefined || f.location.length <= 0) return f.location.line;
  let line = f.location.line;
  const end = Math.min(text.length, f.location.offset + f.location.length);
  for (let i = f.location.offset; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function formatGithub(results: readonly LintFileResult[], options: GithubOptions = {}): string {
  const out: string[] = [];
  for (const r of results) {
    const file = shownFile(r.file, options.srcRoot);
    if (r.error !== undefined) {
      const where: Record<string, number> =
        r.error.line === undefined ? {} : { line: r.error.line, col: r.error.column ?? 1 };
      out.push(command("error", { file, ...where, title: "cannot be read" }, r.error.message));
      continue;
    }
    for (const f of [...r.findings].sort(compareByPosition)) {
      if (f.suppressed !== undefined) continue;
      const properties = {
        file,
        line: f.location.line,
        col: f.location.column,
        endLine: endLine(f, r.text),
        title: f.ruleId,
      };
      out.push(command(f.internalError ? "error" : COMMAND[f.severity], properties, f.message));
    }
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
