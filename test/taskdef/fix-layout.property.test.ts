/**
 * `fix` keeps the file as it was in every way but the gate (issue 12, item 6): over task definitions written in
 * many layouts (2 or 4 spaces or tabs, LF or CRLF, colon spacing, collections written on one line or over
 * several, a stray tab-indented line, a final newline or not), the output is the input with text inserted and
 * nothing removed; every line without an insertion point is unchanged, and a line with one only gains what was
 * inserted into it (a comma, in a collection written over lines); the inserted lines use the file's dominant
 * indentation; a second run changes nothing; and the output reads as the input's data plus the gate.
 */
import { diffArrays } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { FixError, fixText } from "../../src/fix/index.js";
import { runs } from "../support/runs.js";
import { ungate } from "../support/ungate.js";

type Json = Record<string, unknown>;
const PRE = "log-router-preflight";
const IMAGE = "example/probe:1";

const app = fc.record(
  {
    name: fc.constantFrom("app", "api", "web", "worker"),
    image: fc.constantFrom("app:1", "nginx"),
    essential: fc.constantFrom(true, undefined),
    logConfiguration: fc.constantFrom(
      { logDriver: "awsfirelens", options: { Name: "datadog", TLS: "on" } },
      { logDriver: "awsfirelens", options: { Name: "stdout" } },
    ),
    memoryReservation: fc.constantFrom(undefined, 100),
    portMappings: fc.constantFrom(undefined, [], [{ containerPort: 80, protocol: "tcp" }]),
    dependsOn: fc.constantFrom(undefined, [], [{ containerName: "log-router", condition: "START" }]),
    command: fc.constantFrom(undefined, ["sh", "-c", "exec app"]),
  },
  { requiredKeys: ["name", "image", "logConfiguration"] },
);

const task = fc
  .record({
    apps: fc.uniqueArray(app, { minLength: 1, maxLength: 3, selector: (a) => a.name }),
    agent: fc.boolean(),
    tags: fc.boolean(),
  })
  .map(({ apps, agent, tags }) => {
    const containers: Json[] = [
      {
        name: "log-router",
        image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
        essential: true,
        firelensConfiguration: { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } },
        memoryReservation: 50,
      },
    ];
    if (agent)
      containers.push({ name: "dd-agent", image: "public.ecr.aws/datadog/agent:7", essential: true });
    for (const a of apps) {
      const c: Json = {};
      for (const [k, v] of Object.entries(a)) if (v !== undefined) c[k] = v;
      containers.push(c);
    }
    return {
      family: "layouts",
      containerDefinitions: containers,
      ...(tags ? { tags: [{ key: "team", value: "a:b" }] } : {}),
    };
  });

interface JsonLayout {
  readonly unit: string;
  readonly eol: "\n" | "\r\n";
  readonly colon: string;
  readonly comma: string;
  readonly padded: boolean;
  /** Per collection, in writing order (cycled): write it on one line. */
  readonly oneLine: readonly boolean[];
  /** A line (index into the indented lines, cycled) whose indentation is replaced by one of the other kind. */
  readonly stray: number | undefined;
  readonly finalNewline: boolean;
}

const jsonLayout: fc.Arbitrary<JsonLayout> = fc.record({
  unit: fc.constantFrom("  ", "    ", "\t"),
  eol: fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
  colon: fc.constantFrom(": ", ":", " : "),
  comma: fc.constantFrom(", ", ","),
  padded: fc.boolean(),
  oneLine: fc.oneof(fc.constant([]), fc.array(fc.boolean(), { minLength: 1, maxLength: 12 })),
  stray: fc.option(fc.nat(), { nil: undefined }),
  finalNewline: fc.boolean(),
});

/** JSON in a layout, written by hand so every choice above shows up in the text. */
function writeJson(value: unknown, layout: JsonLayout): string {
  let k = 0;
  const oneLine = () =>
    layout.oneLine.length === 0 ? false : (layout.oneLine[k++ % layout.oneLine.length] as boolean);
  const flat = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(flat).join(layout.comma)}]`;
    if (typeof v === "object" && v !== null) {
      const body = Object.entries(v)
        .map(([key, x]) => `${JSON.stringify(key)}${layout.colon}${flat(x)}`)
        .join(layout.comma);
      if (body === "") return "{}";
      return layout.padded ? `{ ${body} }` : `{${body}}`;
    }
    return JSON.stringify(v);
  };
  const write = (v: unknown, indent: string): string => {
    if (typeof v !== "object" || v === null) return JSON.stringify(v);
    const entries = Array.isArray(v) ? v.map((x) => [undefined, x] as const) : Object.entries(v);
    if (entries.length === 0) return Array.isArray(v) ? "[]" : "{}";
    if (oneLine()) return flat(v);
    const inner = indent + layout.unit;
    const lines = entries.map(
      ([key, x]) =>
        `${inner}${key === undefined ? "" : `${JSON.stringify(key)}${layout.colon}`}${write(x, inner)}`,
    );
    const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
    return `${open}${layout.eol}${lines.join(`,${layout.eol}`)}${layout.eol}${indent}${close}`;
  };
  const lines = write(value, "").split(layout.eol);
  if (layout.stray !== undefined) {
    const indented = lines.map((l, i) => [l, i] as const).filter(([l]) => /^[ \t]+\S/.test(l));
    const pick = indented[layout.stray % Math.max(indented.length, 1)];
    if (pick !== undefined) {
      const [line, i] = pick;
      lines[i] = (layout.unit === "\t" ? "  " : "\t") + line.trimStart();
    }
  }
  return lines.join(layout.eol) + (layout.finalNewline ? layout.eol : "");
}

/** Whether `a` is `b` with characters inserted (greedy matching decides a subsequence exactly). */
function isInsertionOnly(input: string, output: string): boolean {
  let j = 0;
  for (let i = 0; i < output.length && j < input.length; i++) if (output[i] === input[j]) j++;
  return j === input.length;
}

/** Lines the output changed, paired with what they became; the plan's edits bound how many there may be. */
function checkLines(input: string, output: string, eol: string, insertionPoints: number): void {
  const before = input.split(eol);
  const after = output.split(eol);
  const parts = diffArrays(before, after);
  // An insertion may split a line: its head ends one inserted block and its tail closes another, and the diff
  // may then align the tail with a line further on, so a removed line is matched against every added line.
  const added = parts.flatMap((q) => (q.added ? (q.value as string[]) : []));
  const used = new Set<number>();
  let removed = 0;
  for (const part of parts) {
    if (!part.removed) continue;
    for (const line of part.value as string[]) {
      removed++;
      // The line survives, with text inserted into it: a comma after its last value, or entries inside it.
      const at = added.findIndex((a, i) => !used.has(i) && isInsertionOnly(line, a));
      expect(at, `line ${JSON.stringify(line)} lost text`).toBeGreaterThanOrEqual(0);
      used.add(at);
    }
  }
  expect(removed).toBeLessThanOrEqual(insertionPoints);
}

/** The indentation of inserted lines uses only the file's unit character. */
function checkIndentation(input: string, output: string, eol: string, unit: string): void {
  const before = new Set(input.split(eol));
  for (const line of output.split(eol)) {
    if (before.has(line)) continue;
    const ws = /^[ \t]*/.exec(line)?.[0] ?? "";
    const other = unit === "\t" ? " " : "\t";
    // A changed line keeps its own indentation (it may be the stray one); a new line never takes the stray's.
    if (!input.split(eol).some((l) => isInsertionOnly(l, line) && l.trim() !== "")) {
      expect(ws.includes(other), `inserted line ${JSON.stringify(line)} indented with the minority`).toBe(
        false,
      );
    }
  }
}

describe("fix keeps the layout of JSON", () => {
  it("inserts only, one changed line per insertion point, idempotent, and reads back as input + gate", () => {
    let fixed = 0;
    let strayRuns = 0;
    let crlfRuns = 0;
    fc.assert(
      fc.property(task, jsonLayout, (td, layout) => {
        const text = writeJson(td, layout);
        let r: ReturnType<typeof fixText>;
        try {
          r = fixText(text, "layout.json", { probeImage: IMAGE });
        } catch (e) {
          if (e instanceof FixError && e.kind === "budget") return;
          throw e;
        }
        expect(r.changed).toBe(true);
        fixed++;
        if (layout.stray !== undefined) strayRuns++;
        if (layout.eol === "\r\n") crlfRuns++;
        expect(isInsertionOnly(text, r.text), "a byte of the input changed").toBe(true);
        checkLines(text, r.text, layout.eol, r.plan.edits.length);
        checkIndentation(text, r.text, layout.eol, layout.unit);
        // No line ending of the other kind appears.
        if (layout.eol === "\n") expect(r.text.includes("\r")).toBe(false);
        else expect(r.text.replace(/\r\n/g, "").includes("\n")).toBe(false);
        expect(r.text.endsWith(layout.eol)).toBe(layout.finalNewline);
        const again = fixText(r.text, "layout.json", {});
        expect(again.changed).toBe(false);
        const input = JSON.parse(text) as Json;
        const output = JSON.parse(r.text) as Json;
        const before = input.containerDefinitions as Json[];
        expect(ungate(output.containerDefinitions as Json[], before)).toEqual(before);
        expect({ ...output, containerDefinitions: [] }).toEqual({ ...input, containerDefinitions: [] });
        expect((output.containerDefinitions as Json[]).some((c) => c.name === PRE)).toBe(true);
      }),
      { numRuns: runs(200) },
    );
    expect(fixed).toBeGreaterThan(150);
    expect(strayRuns).toBeGreaterThan(30);
    expect(crlfRuns).toBeGreaterThan(30);
  });

  it("leaves every line of the issue's example alone but the one that gains a comma", () => {
    const text = [
      "{",
      '  "family": "x",',
      '  "containerDefinitions": [',
      "    {",
      '      "name": "log-router",',
      '      "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",',
      '      "firelensConfiguration": {"type": "fluentbit"},',
      '      "memoryReservation":100',
      "    },",
      "\t{",
      '      "name": "app",',
      '      "image": "nginx",',
      '      "command": ["sh", "-c", "exec nginx"],',
      '      "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "stdout"}}',
      "    }",
      "  ]",
      "}",
    ].join("\n");
    const r = fixText(text, "x.json", { probeImage: IMAGE });
    const parts = diffArrays(text.split("\n"), r.text.split("\n"));
    // The stray tab line, the `"memoryReservation":100` spacing and the one-line arrays and objects all stay.
    const removed = parts.filter((p) => p.removed).flatMap((p) => p.value);
    expect(removed).toEqual([
      '      "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "stdout"}}',
    ]);
    const added = parts.filter((p) => p.added).flatMap((p) => p.value);
    expect(added.slice(0, 4)).toEqual([
      '      "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "stdout"}},',
      '      "dependsOn": [',
      "        {",
      '          "containerName": "log-router-preflight",',
    ]);
    expect(added.every((l) => !l.startsWith("\t"))).toBe(true);
  });
});

describe("fix keeps the layout of YAML", () => {
  it("inserts whole lines (or into one flow line), idempotent, and reads back as input + gate", () => {
    let fixed = 0;
    fc.assert(
      fc.property(
        task,
        fc.constantFrom(2, 4),
        fc.boolean(),
        fc.constantFrom<"flow" | "any">("flow", "any"),
        fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
        fc.boolean(),
        (td, indent, indentSeq, collectionStyle, eol, comment) => {
          // A fresh copy: objects shared by the generator would become YAML anchors and aliases.
          const body = stringifyYaml(JSON.parse(JSON.stringify(td)), { indent, indentSeq, collectionStyle });
          const text = `${comment ? "# ecspresso task definition\n" : ""}${body}`.replace(/\n/g, eol);
          const r = fixText(text, "layout.yaml", { probeImage: IMAGE });
          if (!r.changed) return;
          fixed++;
          expect(isInsertionOnly(text, r.text), "a byte of the input changed").toBe(true);
          checkLines(text, r.text, eol, r.plan.edits.length);
          if (eol === "\n") expect(r.text.includes("\r")).toBe(false);
          else expect(r.text.replace(/\r\n/g, "").includes("\n")).toBe(false);
          expect(fixText(r.text, "layout.yaml", {}).changed).toBe(false);
          const input = parseYaml(text) as Json;
          const output = parseYaml(r.text) as Json;
          const before = input.containerDefinitions as Json[];
          expect(ungate(output.containerDefinitions as Json[], before)).toEqual(before);
        },
      ),
      { numRuns: runs(100) },
    );
    expect(fixed).toBeGreaterThan(60);
  });
});
