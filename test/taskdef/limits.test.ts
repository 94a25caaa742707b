/**
 * Inputs that used to overflow the stack, hang, or take the heap (issue 13): each is a located `TaskDefError` of
 * its own kind, in bounded time and memory. Time and memory are measured in a child process, so the figures are
 * the loader's own and not the test runner's.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  findExcessiveNesting,
  loadDocument,
  MAX_ALIAS_NODES,
  MAX_NESTING_DEPTH,
  parseDocument,
  TaskDefError,
} from "../../src/taskdef/index.js";

function errorOf(text: string, file: string): TaskDefError {
  try {
    parseDocument(text, file);
  } catch (e) {
    if (e instanceof TaskDefError) return e;
    throw e;
  }
  throw new Error("parsed without error");
}

interface Measured {
  readonly kind?: string;
  readonly message?: string;
  readonly line?: number;
  readonly column?: number;
  readonly ms: number;
  /** Peak resident set of the child, in MB, and its baseline before parsing. */
  readonly peakMb: number;
  readonly baseMb: number;
}

/** Parse `text` in a fresh Node process and report the outcome, the time it took and the peak memory. */
function measure(text: string, file: string): Measured {
  const script = `
    import { readFileSync } from "node:fs";
    import { parseDocument } from "./src/taskdef/index.ts";
    const text = readFileSync(0, "utf8");
    const baseMb = process.resourceUsage().maxRSS / 1024;
    const t0 = performance.now();
    let out = {};
    try { parseDocument(text, ${JSON.stringify(file)}); out = { kind: "none" }; }
    catch (e) { out = { kind: e.kind, message: e.message, line: e.line, column: e.column, name: e.name }; }
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ ...out, ms, baseMb, peakMb: process.resourceUsage().maxRSS / 1024 }));`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    input: text,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Measured;
}

/** "Billion laughs": nine levels of nine aliases, the last one used as a container's environment. */
function billionLaughs(): string {
  const letters = "abcdefghi";
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    lines.push(
      `${letters[i]}: &${letters[i]} [${Array(9)
        .fill(`*${letters[i - 1]}`)
        .join(",")}]`,
    );
  }
  lines.push("containerDefinitions:", "  - name: app", "    image: nginx", "    environment: *i", "");
  return lines.join("\n");
}

describe("nesting depth", () => {
  it("refuses '[' * 4937 (4.9 KB) with a located error, before the recursive error-position parse", () => {
    const text = "[".repeat(4937);
    const r = measure(text, "deep.json");
    expect(r.kind).toBe("too-deep");
    expect([r.line, r.column]).toEqual([1, MAX_NESTING_DEPTH + 1]);
    expect(r.message).toBe(
      `deep.json:1:${MAX_NESTING_DEPTH + 1}: nested more than ${MAX_NESTING_DEPTH} levels deep, the limit for a task definition document; nothing this deep is a task definition`,
    );
    expect(r.ms).toBeLessThan(2000);
  });

  it("refuses valid JSON nested past the limit, where the data is read after JSON.parse", () => {
    const inner = `${"[".repeat(6000)}${"]".repeat(6000)}`;
    const e = errorOf(`{\n  "containerDefinitions": [{"name": "a", "x": ${inner}}]\n}`, "d.json");
    expect(e.kind).toBe("too-deep");
    // Depth 1 is the root object, 2 the array, 3 the container, 4 (column 47) onwards the brackets of "x".
    expect([e.line, e.column]).toEqual([2, 47 + MAX_NESTING_DEPTH - 3]);
  });

  it("reads a document right at the limit", () => {
    const inner = `${"[".repeat(MAX_NESTING_DEPTH - 3)}${"]".repeat(MAX_NESTING_DEPTH - 3)}`;
    const doc = parseDocument(`{"containerDefinitions": [{"name": "a", "x": ${inner}}]}`, "d.json");
    expect(doc.taskDefinitions[0]?.containers[0]?.name).toBe("a");
  });

  it("refuses deep YAML, flow and block alike, located", () => {
    const flow = errorOf(`containerDefinitions:\n  - name: a\n    x: ${"[".repeat(5000)}`, "d.yaml");
    expect([flow.kind, flow.line]).toEqual(["too-deep", 3]);
    let block = "containerDefinitions:\n";
    for (let i = 1; i <= 200; i++) block += `${" ".repeat(i)}k${i}:\n`;
    const b = errorOf(block, "b.yaml");
    expect(b.kind).toBe("too-deep");
    expect(b.line).toBe(MAX_NESTING_DEPTH + 1);
  });

  it("measures depth without recursion, strings and escapes skipped", () => {
    expect(findExcessiveNesting('["[[[", "\\"[[["]', 1)).toBeUndefined();
    expect(findExcessiveNesting("[[1]]", 1)).toEqual({ offset: 1, limit: 1 });
    expect(findExcessiveNesting("[".repeat(1_000_000), 10)).toEqual({ offset: 10, limit: 10 });
  });
});

describe("YAML aliases", () => {
  it("stops billion laughs with a located error in bounded time and memory", () => {
    const text = billionLaughs();
    expect(text.length).toBeLessThan(500);
    const r = measure(text, "lol.yaml");
    expect(r.kind).toBe("too-many-aliases");
    expect(r.message).toMatch(
      new RegExp(
        `^lol\\.yaml:\\d+:\\d+: alias \\*[a-i] expands to more than ${MAX_ALIAS_NODES.toLocaleString("en-US")} nodes`,
      ),
    );
    expect(r.line).toBeGreaterThan(1);
    expect(r.ms).toBeLessThan(5000);
    expect(r.peakMb - r.baseMb).toBeLessThan(150);
  });

  it("still reads anchors reused a few times", () => {
    const text = [
      "x-log: &log",
      "  logDriver: awsfirelens",
      "  options: {Name: datadog}",
      "containerDefinitions:",
      "  - {name: router, image: r, firelensConfiguration: {type: fluentbit}}",
      "  - {name: a, image: i, logConfiguration: *log}",
      "  - {name: b, image: i, logConfiguration: *log}",
      "",
    ].join("\n");
    const doc = parseDocument(text, "a.yaml");
    expect(doc.taskDefinitions[0]?.containers[2]?.definition.logConfiguration).toEqual({
      logDriver: "awsfirelens",
      options: { Name: "datadog" },
    });
  });

  it("counts nesting through aliases against the depth limit", () => {
    // Each part is within the limit as written; the alias puts the one inside the other.
    const inner = MAX_NESTING_DEPTH - 10;
    const outer = 20;
    const lines = [
      `a: &a ${"[".repeat(inner)}x${"]".repeat(inner)}`,
      `containerDefinitions: [{name: a, x: ${"[".repeat(outer)}*a${"]".repeat(outer)}}]`,
    ];
    const e = errorOf(lines.join("\n"), "chain.yaml");
    expect(e.kind).toBe("too-deep");
    expect(e.line).toBeGreaterThan(1);
  });
});

describe("size", () => {
  const dir = mkdtempSync(join(tmpdir(), "flp-size-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a text over the cap without parsing it", () => {
    const text = JSON.stringify({ containerDefinitions: [{ name: "a", image: "x".repeat(2000) }] });
    const e = (() => {
      try {
        parseDocument(text, "big.json", { maxBytes: 1000 });
      } catch (err) {
        return err as TaskDefError;
      }
      throw new Error("no error");
    })();
    expect(e).toBeInstanceOf(TaskDefError);
    expect(e.kind).toBe("too-large");
    expect(e.message).toMatch(
      /^big\.json: 2\.0 kB, larger than the 1\.0 kB limit for one document .*--max-size/,
    );
    expect(parseDocument(text, "big.json", { maxBytes: 10_000 }).taskDefinitions).toHaveLength(1);
  });

  it("refuses a file over the default cap (16 MiB) before reading it", async () => {
    const path = join(dir, "sparse.json");
    writeFileSync(path, "");
    truncateSync(path, 200 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const e = await loadDocument(path).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TaskDefError);
    expect([(e as TaskDefError).kind, (e as TaskDefError).message]).toEqual([
      "too-large",
      `${path}: 200 MiB, larger than the 16 MiB limit for one document (a task definition is at most 64 KiB, a CloudFormation template 1 MB); raise the limit (--max-size) to read it anyway`,
    ]);
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it("stops reading an endless device at the cap", async () => {
    const e = await loadDocument("/dev/zero", { maxBytes: 1024 * 1024 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TaskDefError);
    expect([(e as TaskDefError).kind, (e as TaskDefError).message]).toEqual([
      "too-large",
      "/dev/zero: larger than the 1 MiB limit for one document (a task definition is at most 64 KiB, a CloudFormation template 1 MB); raise the limit (--max-size) to read it anyway",
    ]);
  });
});

describe("formats we do not read", () => {
  const cases: Array<[string, string, string, RegExp, number | undefined]> = [
    [
      "Terraform HCL in a file named as YAML",
      "task.yaml",
      'variable "image" {}\n\nresource "aws_ecs_task_definition" "app" {\n  family = "app"\n}\n',
      /^task\.yaml:3:1: this is Terraform HCL: firelens-preflight reads it from files named \*\.tf/,
      3,
    ],
    [
      "jsonnet",
      "task.jsonnet",
      "local image = 'nginx';\n{\n  containerDefinitions: [{ name: 'a', image: image }],\n}\n",
      /^task\.jsonnet:1:1: this is jsonnet, .*render it first with `jsonnet task\.jsonnet > task\.json`/,
      1,
    ],
    [
      "a JSON template",
      "containers.json.tpl",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform template, on purpose
      '[\n  {"name": "app", "image": "${image}", "environment": ${jsonencode(env)}}\n]\n',
      /^containers\.json\.tpl:2:55: this is a template with .*render it first/,
      2,
    ],
    [
      "a YAML Go template",
      "task.yaml",
      "containerDefinitions:\n{{- range .Containers }}\n  - name: {{ .Name }}\n{{- end }}\n",
      /^task\.yaml:2:1: this is a template with/,
      2,
    ],
  ];
  for (const [name, file, text, message, line] of cases) {
    it(`names ${name} and the way forward`, () => {
      const e = errorOf(text, file);
      expect(e.kind).toBe("unsupported-format");
      expect(e.message).toMatch(message);
      expect(e.line).toBe(line);
      expect(e.message).not.toMatch(/Implicit keys|expected an ECS task definition/);
    });
  }

  it("still reads a .json.tpl or .jsonnet file that is plain JSON, placeholders in strings", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform template placeholder, on purpose
    const text = '{"containerDefinitions": [{"name": "app", "image": "${image}"}]}';
    expect(parseDocument(text, "t.json.tpl").format).toBe("ecs-json");
    expect(parseDocument(text, "t.jsonnet").format).toBe("ecs-json");
  });

  it("keeps a CloudFormation YAML syntax error a syntax error, whatever its !Sub placeholders", () => {
    const text =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: !Sub ${AWS::StackName}-app\n      ContainerDefinitions: [a\n";
    expect(errorOf(text, "t.yaml").kind).toBe("syntax");
  });
});
