/**
 * Passes when every field the rules, the model and `fix` read has the type RegisterTaskDefinition takes (a list
 * where a list goes, an object where an object goes, a string, a boolean, a number), and no JSON key is written
 * twice in one object. Values only known at deploy time are not judged.
 */
import { isIntrinsic, isTemplateFormat, isYamlFormat, type JsonPath, toPascal } from "../taskdef/index.js";
import { SRC } from "./sources.js";
import { defineRule } from "./types.js";

/** Sources beyond the shared list: the API action itself, and the JSON reader the AWS CLI uses. */
const REGISTER_TASK_DEFINITION =
  "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html";
const PYTHON_JSON = "https://docs.python.org/3/library/json.html";

/** The shape the API takes for a field, as far as we check it. */
type Shape =
  | { readonly kind: "string" }
  | { readonly kind: "boolean" }
  | { readonly kind: "number" }
  /** A map of string values (`options`, `dockerLabels`). */
  | { readonly kind: "map" }
  | { readonly kind: "list"; readonly of: Shape }
  | {
      readonly kind: "object";
      readonly fields: Readonly<Record<string, Shape>>;
      /** The same fields by name, looked up per key a value has (a container has a few of the fields we know). */
      readonly byName: ReadonlyMap<string, Shape>;
    };

const STRING: Shape = { kind: "string" };
const BOOLEAN: Shape = { kind: "boolean" };
const NUMBER: Shape = { kind: "number" };
const MAP: Shape = { kind: "map" };
const list = (of: Shape): Shape => ({ kind: "list", of });
const object = (fields: Record<string, Shape>): Shape => ({
  kind: "object",
  fields,
  byName: new Map(Object.entries(fields)),
});

const NAME_VALUE_FROM = object({ name: STRING, valueFrom: STRING });

/** The container fields read by the model, the rules and `fix` (RegisterTaskDefinition's ContainerDefinition). */
const CONTAINER = object({
  name: STRING,
  image: STRING,
  essential: BOOLEAN,
  cpu: NUMBER,
  memory: NUMBER,
  memoryReservation: NUMBER,
  startTimeout: NUMBER,
  stopTimeout: NUMBER,
  entryPoint: list(STRING),
  command: list(STRING),
  links: list(STRING),
  dependsOn: list(object({ containerName: STRING, condition: STRING })),
  volumesFrom: list(object({ sourceContainer: STRING, readOnly: BOOLEAN })),
  environment: list(object({ name: STRING, value: STRING })),
  secrets: list(NAME_VALUE_FROM),
  portMappings: list(object({ containerPort: NUMBER, hostPort: NUMBER, protocol: STRING, name: STRING })),
  logConfiguration: object({ logDriver: STRING, options: MAP, secretOptions: list(NAME_VALUE_FROM) }),
  firelensConfiguration: object({ type: STRING, options: MAP }),
  healthCheck: object({
    command: list(STRING),
    interval: NUMBER,
    timeout: NUMBER,
    retries: NUMBER,
    startPeriod: NUMBER,
  }),
  dockerLabels: MAP,
});

const TASK = object({
  family: STRING,
  cpu: STRING,
  memory: STRING,
  networkMode: STRING,
  requiresCompatibilities: list(STRING),
});

const SERVICE_DEPLOYMENT = object({
  deploymentCircuitBreaker: object({ enable: BOOLEAN, rollback: BOOLEAN }),
  maximumPercent: NUMBER,
  minimumHealthyPercent: NUMBER,
});

function expected(shape: Shape): string {
  switch (shape.kind) {
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "number":
      return "a number";
    case "map":
      return "a map of string values";
    case "list":
      return shape.of.kind === "object"
        ? `a list of {${Object.keys(shape.of.fields).slice(0, 2).join(", ")}${Object.keys(shape.of.fields).length > 2 ? ", …" : ""}} objects`
        : `a list of ${expected(shape.of).replace(/^an? /, "")}s`;
    case "object":
      return `an object ({${Object.keys(shape.fields).slice(0, 3).join(", ")}, …})`;
  }
}

/**
 * The value's type in words. A string's text is shown only where a short word was expected (`"maybe"` for a
 * boolean), never where it may be a credential or a long document.
 */
function actual(value: unknown, shape: Shape): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    if (shape.kind !== "boolean" && shape.kind !== "number") return "a string";
    const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === "number") return `a number (${value})`;
  if (typeof value === "boolean") return `a boolean (${value})`;
  return typeof value;
}

interface Mismatch {
  readonly path: JsonPath;
  readonly actual: string;
  readonly expected: string;
}

const TEMPLATE_BOOLEAN = /^\s*(true|false)\s*$/i;
const TEMPLATE_NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

/** Whether a scalar has the shape's type (in a template, also the scalars CloudFormation converts). */
/**
 * Which scalar conversions a format's tooling makes: none for API-shaped JSON; in YAML task definitions a string
 * that spells a boolean or a number (`essential: "false"`); in CloudFormation everything CloudFormation converts.
 */
type Leniency = "api" | "yaml" | "template";

function scalarFits(value: unknown, kind: "string" | "boolean" | "number", lenient: Leniency): boolean {
  const t = typeof value;
  if (kind === "string")
    return t === "string" || (lenient === "template" && (t === "number" || t === "boolean"));
  if (kind === "boolean")
    return t === "boolean" || (lenient !== "api" && t === "string" && TEMPLATE_BOOLEAN.test(value as string));
  return t === "number" || (lenient !== "api" && t === "string" && TEMPLATE_NUMBER.test(value as string));
}

/**
 * Where `value` does not have `shape`. A missing or null field is left to the rules that need it (consoles export
 * `null` for unset fields); an item of a list is judged, null included. Deploy-time values are not judged. In a
 * template, a scalar CloudFormation converts is accepted (`"true"` for a boolean, `"30"` for a number, a number
 * for a string); the loader already holds most of them converted. `path` is a stack shared by the whole walk and
 * copied only for a mismatch: lint runs this on every container of every file, and nearly all of them fit.
 */
function mismatches(
  value: unknown,
  shape: Shape,
  path: Array<string | number>,
  template: Leniency,
  out: Mismatch[],
): void {
  if (value === undefined || value === null) return;
  switch (shape.kind) {
    case "string":
    case "boolean":
    case "number":
      if (!scalarFits(value, shape.kind, template) && !isIntrinsic(value)) {
        out.push({ path: [...path], actual: actual(value, shape), expected: expected(shape) });
      }
      return;
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) break;
      if (isIntrinsic(value)) return;
      const record = value as Record<string, unknown>;
      for (const k in record) {
        const v = record[k];
        if (v === null || v === undefined || scalarFits(v, "string", template)) continue;
        path.push(k);
        mismatches(v, STRING, path, template, out);
        path.pop();
      }
      return;
    }
    case "list": {
      if (!Array.isArray(value)) break;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        path.push(i);
        if (item === null || item === undefined) {
          out.push({ path: [...path], actual: "null", expected: expected(shape.of) });
        } else {
          mismatches(item, shape.of, path, template, out);
        }
        path.pop();
      }
      return;
    }
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) break;
      if (isIntrinsic(value)) return;
      const fields = shape.byName;
      const record = value as Record<string, unknown>;
      for (const k in record) {
        const fieldShape = fields.get(k);
        if (fieldShape === undefined) continue;
        path.push(k);
        mismatches(record[k], fieldShape, path, template, out);
        path.pop();
      }
      return;
    }
  }
  if (!isIntrinsic(value))
    out.push({ path: [...path], actual: actual(value, shape), expected: expected(shape) });
}

/** `dependsOn[0].containerName` */
function fieldName(path: JsonPath): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}

function isPrefix(prefix: JsonPath, path: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}

export const FLP111 = defineRule({
  meta: {
    id: "FLP111",
    title: "A field has a type ECS rejects",
    severity: "error",
    family: "validity",
    rationale:
      'RegisterTaskDefinition checks the type of every field before it registers anything: a `dependsOn` that is not a list of {containerName, condition} objects, a container name that is not a string, `essential` that is not true or false, `environment` that is not a list, a log option that is not a string — each is rejected, and the rules and the startup plan cannot read such a field, so they say nothing about it. In CloudFormation templates the scalars CloudFormation converts are accepted (`"true"` for a boolean, `"30"` for a number, a number where a string goes), and in YAML task definitions a quoted boolean or number (`essential: "false"`); structural mismatches are not. A JSON key written twice in one object is not a type error, but only its last occurrence counts: the AWS CLI reads the file with Python\'s `json` module, which keeps the last value of a repeated key silently, and so do `JSON.parse` and this tool; the earlier one is reported as a warning because whoever reads the file may take it for the one that counts.',
    sources: [REGISTER_TASK_DEFINITION, SRC.containerDefinition, SRC.cfnService, PYTHON_JSON],
    fixHint:
      "Give the field the type the API takes (a list of objects for dependsOn, environment, secrets and secretOptions; an object for logConfiguration, firelensConfiguration and healthCheck; true or false for essential; strings for names and option values); delete the earlier copy of a repeated key.",
    messages: {
      wrongType: "{{subject}}: {{field}} is {{actual}}; ECS expects {{expected}}.",
      duplicateKey:
        "'{{key}}' is written {{count}} times in the same object; only the last one (line {{line}}) counts, as in the AWS CLI, and line {{ignored}} is ignored.",
    },
    messageSeverities: { duplicateKey: "warning" },
  },
  check(ctx) {
    // CloudFormation converts scalars itself; YAML task definitions (ecspresso's, for one) carry quoted scalars
    // such as `essential: "false"` that the model reads as meant. JSON in the API's own shape is held to the API's
    // scalar types, and a number where YAML needs a name is a number everywhere.
    const format = ctx.document.format;
    // Terraform converts scalars to the provider's types (`cpu = 1024` becomes "1024") as CloudFormation does.
    const template: Leniency =
      isTemplateFormat(format) || format.startsWith("terraform-")
        ? "template"
        : isYamlFormat(format)
          ? "yaml"
          : "api";
    const task: unknown = ctx.taskDefinition.taskDefinition;
    const wrongTypes = (value: unknown, shape: Shape, report: (m: Mismatch) => void) => {
      const found: Mismatch[] = [];
      mismatches(value, shape, [], template, found);
      for (const m of found) report(m);
    };
    const wrongType = (subject: string, field: string, m: Mismatch) => ({
      messageId: "wrongType" as const,
      data: { subject, field, actual: m.actual, expected: m.expected },
    });
    wrongTypes(task, TASK, (m) =>
      ctx.report({ ...wrongType("The task definition", fieldName(m.path), m), path: m.path }),
    );
    for (const c of ctx.task.containers) {
      wrongTypes(c.definition as unknown, CONTAINER, (m) =>
        ctx.report({
          ...wrongType(`Container '${c.label}'`, fieldName(m.path), m),
          path: ["containerDefinitions", c.index, ...m.path],
          container: c.name,
        }),
      );
    }
    for (const s of ctx.services) {
      // Services are read in the template's PascalCase, as CloudFormation and the API spell them there.
      wrongTypes(s.deploymentConfiguration as unknown, SERVICE_DEPLOYMENT, (m) => {
        const path = m.path.map((seg) => (typeof seg === "string" ? toPascal(seg) : seg));
        ctx.report({
          ...wrongType(`Service '${s.id}'`, `DeploymentConfiguration.${fieldName(path)}`, m),
          rawPath: [...s.path, "DeploymentConfiguration", ...path],
        });
      });
    }
    // A repeated key belongs to the task definition whose text holds it; one outside every task definition (a
    // wrapper, a template's Parameters) is reported once, with the first.
    const tds = ctx.document.taskDefinitions;
    const first = tds[0] === ctx.taskDefinition;
    for (const d of ctx.document.duplicateKeys) {
      const owner =
        tds.find((td) => isPrefix(td.path, d.path) && td.path.length > 0) ??
        tds.find((td) => td.path.length === 0);
      if (owner === undefined ? !first : owner !== ctx.taskDefinition) continue;
      const last = d.occurrences[d.occurrences.length - 1];
      const ignored = d.occurrences.slice(0, -1).map((o) => o.line);
      ctx.report({
        messageId: "duplicateKey",
        data: {
          key: String(d.path[d.path.length - 1]),
          count: d.occurrences.length,
          line: last?.line ?? 0,
          ignored: ignored.join(", "),
        },
        rawPath: d.path,
      });
    }
  },
});
