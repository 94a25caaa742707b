/**
 * `fix` on generated Terraform: idempotent, insertions only, and the input's own `=` rule kept. The
 * generator and the alignment checker here are written independently of src/taskdef/hcl (plain string
 * building and a line-based reading), so they judge the fixer rather than repeat it.
 */
import { diffChars } from "diff";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { applyGate } from "../../src/fix/index.js";
import { lintDocument } from "../../src/rules/index.js";
import { loadHclParser, parseDocument } from "../../src/taskdef/index.js";
import { runs } from "../support/runs.js";

beforeAll(async () => {
  await loadHclParser();
});

interface Style {
  readonly align: boolean;
  readonly eol: "\n" | "\r\n";
  readonly unit: string;
  readonly memberCommas: boolean;
  readonly listComma: boolean;
  readonly comments: boolean;
}

interface App {
  readonly name: string;
  readonly essential: boolean | undefined;
  readonly cpu: number | undefined;
  readonly env: ReadonlyArray<readonly [string, string]>;
  readonly afterRouter: boolean;
  readonly readonlyRoot: boolean;
}

type Member = readonly [string, string | Member[] | { list: string[] }];

/** Members of an object/body at `indent`; `=` aligned over runs of one-line members when asked. */
function writeMembers(members: readonly Member[], indent: string, s: Style, comment?: string): string[] {
  const out: string[] = [];
  if (comment !== undefined && s.comments) out.push(`${indent}# ${comment}`);
  const oneLine = (m: Member) => typeof m[1] === "string";
  let i = 0;
  while (i < members.length) {
    let j = i;
    while (j < members.length && oneLine(members[j] as Member)) j++;
    const run = members.slice(i, j);
    const width = s.align ? Math.max(0, ...run.map((m) => m[0].length)) : 0;
    for (const [k, v] of run) {
      out.push(
        `${indent}${k}${" ".repeat(s.align ? width - k.length : 0)} = ${v}${s.memberCommas ? "," : ""}`,
      );
    }
    if (j < members.length) {
      const [k, v] = members[j] as Member;
      const inner = indent + s.unit;
      if (Array.isArray(v)) {
        out.push(`${indent}${k} = {`, ...writeMembers(v, inner, s), `${indent}}${s.memberCommas ? "," : ""}`);
      } else if (typeof v === "object") {
        out.push(
          `${indent}${k} = [`,
          ...v.list.map((x) => `${inner}${x},`),
          `${indent}]${s.memberCommas ? "," : ""}`,
        );
      }
      j++;
    }
    i = j;
  }
  return out;
}

function writeTf(apps: readonly App[], s: Style, service: "none" | "plain" | "enable-only"): string {
  const u = s.unit;
  const containers: string[][] = [];
  containers.push(
    writeMembers(
      [
        ["name", '"log-router"'],
        ["image", '"public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"'],
        ["essential", "true"],
        ["firelensConfiguration", [["type", '"fluentbit"']]],
      ],
      u.repeat(3),
      s,
      "the FireLens router",
    ),
  );
  for (const a of apps) {
    const members: Member[] = [
      ["name", JSON.stringify(a.name)],
      ["image", `"example/${a.name}:1"`],
    ];
    if (a.essential !== undefined) members.push(["essential", String(a.essential)]);
    if (a.cpu !== undefined) members.push(["cpu", String(a.cpu)]);
    if (a.readonlyRoot) members.push(["readonlyRootFilesystem", "true"]);
    if (a.env.length > 0) {
      members.push([
        "environment",
        { list: a.env.map(([k, v]) => `{ name = ${JSON.stringify(k)}, value = ${JSON.stringify(v)} }`) },
      ]);
    }
    members.push([
      "logConfiguration",
      [
        ["logDriver", '"awsfirelens"'],
        [
          "options",
          [
            ["Name", '"cloudwatch_logs"'],
            ["region", '"eu-west-1"'],
            ["log_group_name", JSON.stringify(`/ecs/${a.name}`)],
          ],
        ],
      ],
    ]);
    if (a.afterRouter)
      members.push(["dependsOn", { list: ['{ containerName = "log-router", condition = "START" }'] }]);
    containers.push(writeMembers(members, u.repeat(3), s, `container ${a.name}`));
  }
  const list = containers.map((lines, i) => {
    const last = i === containers.length - 1;
    return [`${u.repeat(2)}{`, ...lines, `${u.repeat(2)}}${!last || s.listComma ? "," : ""}`].join(s.eol);
  });
  const lines = [
    ...(s.comments ? ["# Generated for a property test."] : []),
    'resource "aws_ecs_task_definition" "app" {',
    ...writeMembers(
      [
        ["family", '"app"'],
        ["network_mode", '"awsvpc"'],
      ],
      u,
      { ...s, memberCommas: false },
    ),
    `${u}container_definitions = jsonencode([`,
    list.join(s.eol),
    `${u}])`,
    "}",
  ];
  if (service !== "none") {
    lines.push(
      "",
      'resource "aws_ecs_service" "app" {',
      ...writeMembers(
        [
          ["name", '"app"'],
          ["task_definition", "aws_ecs_task_definition.app.arn"],
          ["desired_count", "2"],
        ],
        u,
        { ...s, memberCommas: false },
      ),
    );
    if (service === "enable-only")
      lines.push("", `${u}deployment_circuit_breaker {`, `${u}${u}enable = true`, `${u}}`);
    lines.push("}");
  }
  return lines.join(s.eol) + s.eol;
}

// ---------------------------------------------------------------------------------------------------------
// A line-based reading of `=` alignment, independent of the parser.

interface Line {
  readonly indent: string;
  readonly keyEnd: number;
  readonly eq: number;
}

function balanced(value: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") depth--;
  }
  return depth === 0 && !inString;
}

/** Runs of consecutive one-line `key = value` lines at one indentation. */
function runsOf(text: string): Line[][] {
  const out: Line[][] = [];
  let run: Line[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([ \t]*)([A-Za-z_][A-Za-z0-9_-]*)( *)= (.*)$/.exec(line);
    const member =
      m === null || !balanced(m[4] as string)
        ? undefined
        : {
            indent: m[1] as string,
            keyEnd: (m[1] as string).length + (m[2] as string).length,
            eq: line.indexOf("="),
          };
    if (member !== undefined && run.length > 0 && (run[0] as Line).indent === member.indent) {
      run.push(member);
      continue;
    }
    if (run.length > 0) out.push(run);
    run = member === undefined ? [] : [member];
  }
  if (run.length > 0) out.push(run);
  return out;
}

function aligned(text: string): boolean {
  return runsOf(text).every(
    (run) =>
      run.every((l) => l.eq === (run[0] as Line).eq) && Math.min(...run.map((l) => l.eq - l.keyEnd)) === 1,
  );
}

function compact(text: string): boolean {
  return runsOf(text).every((run) => run.every((l) => l.eq - l.keyEnd === 1));
}

// ---------------------------------------------------------------------------------------------------------

const NAMES = ["api", "web", "worker", "billing-api", "x", "notifications"];

const appsArb = fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }).chain((names) =>
  fc.tuple(
    ...names.map((name) =>
      fc.record({
        name: fc.constant(name),
        essential: fc.constantFrom(undefined, true),
        cpu: fc.option(fc.integer({ min: 0, max: 512 }), { nil: undefined }),
        env: fc.uniqueArray(
          fc.tuple(fc.constantFrom("TZ", "LOG_LEVEL", "A"), fc.constantFrom("UTC", "info", "x y")),
          {
            maxLength: 2,
            selector: ([k]) => k,
          },
        ),
        afterRouter: fc.boolean(),
        readonlyRoot: fc.boolean(),
      }),
    ),
  ),
);

const styleArb = fc.record({
  align: fc.boolean(),
  eol: fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
  unit: fc.constantFrom("  ", "    ", "\t"),
  memberCommas: fc.boolean(),
  listComma: fc.boolean(),
  comments: fc.boolean(),
});

const PROBE = "example.com/firelens-preflight:1";

it("fix on generated Terraform is idempotent, only inserts, and keeps the file's = rule", () => {
  fc.assert(
    fc.property(
      appsArb,
      styleArb,
      fc.constantFrom("none", "plain", "enable-only" as const),
      (apps, style, service) => {
        const input = writeTf(apps, style, service);
        const rule = aligned(input) ? "aligned" : compact(input) ? "compact" : "none";
        // The generator writes what it means to.
        expect(rule).toBe(style.align ? "aligned" : compact(input) ? "compact" : "none");
        const once = applyGate(parseDocument(input, "gen.tf"), { probeImage: PROBE });
        expect(once.changed).toBe(true);
        expect(diffChars(input, once.text).filter((p) => p.removed)).toEqual([]);
        const twice = applyGate(parseDocument(once.text, "gen.tf"), { probeImage: PROBE });
        expect(twice.text).toBe(once.text);
        if (rule === "aligned") expect(aligned(once.text)).toBe(true);
        if (rule === "compact") expect(compact(once.text)).toBe(true);
        if (style.eol === "\r\n") expect(/[^\r]\n/.test(once.text)).toBe(false);
        const left = lintDocument(parseDocument(once.text, "gen.tf")).filter(
          (f) => /^FLP1/.test(f.ruleId) || ["FLP201", "FLP204", "FLP205", "FLP206"].includes(f.ruleId),
        );
        expect(left.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
        if (service !== "none") {
          expect(lintDocument(parseDocument(once.text, "gen.tf")).map((f) => f.ruleId)).not.toContain(
            "FLP208",
          );
        }
      },
    ),
    { numRuns: runs(40) },
  );
  // Each case parses the file a dozen times (every edit re-reads it); the shared 2-core machine is slow.
}, 180_000);
