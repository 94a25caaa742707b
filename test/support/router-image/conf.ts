/**
 * A small reader of Fluent Bit's classic configuration format, enough for what the test router image needs to
 * take from `/fluent-bit/etc/fluent-bit.conf`: `[SERVICE]`, `[INPUT]`, `[FILTER]`, `[OUTPUT]` sections of
 * `key value` lines (keys case-insensitive), `#` comments, `@INCLUDE` (relative to the including file, as Fluent
 * Bit resolves it) and `${VAR}` environment references (Fluent Bit expands them when it reads the file; an unset
 * variable becomes empty).
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";

export interface Section {
  /** `SERVICE`, `INPUT`, `FILTER`, `OUTPUT` (upper case). */
  readonly kind: string;
  /** Keys lower-cased; the last value of a repeated key wins except for `record` lines, kept in `records`. */
  readonly entries: Map<string, string>;
  readonly records: string[];
  /** The file the section came from. */
  readonly file: string;
}

export class ConfigError extends Error {}

function expand(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env[name] ?? "");
}

export function readConfig(path: string, env: NodeJS.ProcessEnv = process.env, depth = 0): Section[] {
  if (depth > 8) throw new ConfigError(`@INCLUDE nested too deep at ${path}`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigError(`cannot open configuration file ${path}`);
  }
  const sections: Section[] = [];
  let current: Section | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (/^@INCLUDE\s/i.test(line)) {
      const target = expand(line.replace(/^@INCLUDE\s+/i, "").trim(), env);
      const full = isAbsolute(target) ? target : join(dirname(path), target);
      sections.push(...readConfig(full, env, depth + 1));
      current = undefined;
      continue;
    }
    if (/^@SET\s/i.test(line)) continue;
    const header = /^\[([A-Za-z_]+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      current = { kind: header[1].toUpperCase(), entries: new Map(), records: [], file: path };
      sections.push(current);
      continue;
    }
    if (current === undefined) throw new ConfigError(`${path}: a key outside any section: ${line}`);
    const m = /^(\S+)(?:\s+(.*))?$/.exec(line);
    if (m?.[1] === undefined) continue;
    const key = m[1].toLowerCase();
    const value = expand(m[2] ?? "", env).trim();
    if (key === "record") current.records.push(value);
    else current.entries.set(key, value);
  }
  return sections;
}

/** Fluent Bit's boolean spellings. */
export function isOn(value: string | undefined): boolean {
  return value !== undefined && ["on", "true", "yes", "1"].includes(value.toLowerCase());
}
