/**
 * The Fluent Bit configuration as the ECS agent writes it: the structure its config generator library fills and
 * the text its template renders. Both follow the library the agent vendors,
 * `agent/vendor/github.com/awslabs/go-config-generator-for-fluentd-and-fluentbit/` in aws/amazon-ecs-agent
 * (`generator.go`, `fluent-bit-template.go`; the template whose `Tag` line stands on its own line, as the agent's
 * `firelensconfig_unix_test.go` expects it).
 *
 * Go's `text/template` ranges over a map in sorted key order, so options and record fields come out sorted by
 * byte value (upper case before lower case); values are written as they are, with no quoting or escaping.
 */

/** An input or an output section (the library's `LogPipe`). */
export interface LogPipe {
  readonly name: string;
  /** `Tag` of an input, `Match` of an output. */
  readonly tag: string;
  readonly options: Readonly<Record<string, string>>;
}

/** A grep filter on one record key (the library's `RegexFilter`). */
export interface RegexFilter {
  readonly regex: string;
  readonly key: string;
  readonly tag: string;
}

/** What the generator library holds before it renders (the fields `fluent-bit-template.go` reads). */
export interface FluentBitSections {
  readonly inputs: readonly LogPipe[];
  readonly includeFilters: readonly RegexFilter[];
  readonly excludeFilters: readonly RegexFilter[];
  /** record_modifier filters: tag → new fields. */
  readonly modifyRecords: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** `@INCLUDE` lines after the filters (`generator.AfterFilters`, where the agent puts an external config). */
  readonly includeAfterFilters: readonly string[];
  readonly outputs: readonly LogPipe[];
}

/** Go's sort of string map keys: by bytes, which for these keys is UTF-16 code-unit order. */
function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function keyLines(options: Readonly<Record<string, string>>, prefix = ""): string {
  let out = "";
  for (const [k, v] of sortedEntries(options)) out += `\n    ${prefix}${k} ${v}`;
  return out;
}

/** The text `WriteFluentBitConfig` writes for these sections. */
export function renderFluentBit(s: FluentBitSections): string {
  let out = "";
  for (const input of s.inputs) {
    out += `\n[INPUT]\n    Name ${input.name}`;
    if (input.tag !== "") out += `\n    Tag ${input.tag}`;
    out += `${keyLines(input.options)}\n`;
  }
  for (const f of s.includeFilters) {
    out += `\n[FILTER]\n    Name   grep\n    Match ${f.tag}\n    Regex  ${f.key} ${f.regex}\n`;
  }
  for (const f of s.excludeFilters) {
    out += `\n[FILTER]\n    Name   grep\n    Match ${f.tag}\n    Exclude ${f.key} ${f.regex}\n`;
  }
  const tags = [...s.modifyRecords.keys()].sort();
  for (const tag of tags) {
    const fields = s.modifyRecords.get(tag) ?? {};
    out += `\n[FILTER]\n    Name record_modifier\n    Match ${tag}${keyLines(fields, "Record ")}\n`;
  }
  for (const path of s.includeAfterFilters) out += `\n@INCLUDE ${path}\n`;
  for (const output of s.outputs) {
    out += `\n[OUTPUT]\n    Name ${output.name}\n    Match ${output.tag}${keyLines(output.options)}\n`;
  }
  return out;
}
