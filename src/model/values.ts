/**
 * Reading single values of a task definition the way ECS (and the tools that feed it) would, and telling a
 * value that is known now from one that is only known at deploy time: a CloudFormation intrinsic
 * (`{"Ref": …}`, `!Sub …`), or a template placeholder left for another tool to fill (`${image}`,
 * `{{ must_env "IMAGE" }}`, `$FLUENT_BIT_IMAGE`, `{INSERT image}`, `<IMAGE_URI>`).
 */
import { isIntrinsic } from "../taskdef/index.js";

/** A plain string, or `undefined` for missing, intrinsic or non-string values. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A boolean, accepting the `"true"`/`"false"` strings YAML templates and CloudFormation leave behind. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true") return true;
    if (v === "false") return false;
  }
  return undefined;
}

/** A finite number, accepting numeric strings. */
export function num(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A plain object (not an array, not null, not an intrinsic). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isIntrinsic(value);
}

/** The array, or an empty one for anything else. */
export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Placeholders that templating tools put where a value will be at deploy time. Each alternative is one
 * family: `${…}` (CloudFormation Sub, Terraform templatefile, envsubst), `{{ … }}` (ecspresso, Helm-like
 * templates), `$NAME` (envsubst), `{Name}` / `<NAME>` (documentation-style blanks left for a person to fill).
 */
const PLACEHOLDER = /\$\{[^}]*\}|\{\{.*?\}\}|\$[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][^{}]*\}|<[A-Za-z_][^<>]*>/g;

/** The canonical spelling placeholders are normalised to, so readers test for one form. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: stands for a deploy-time substitution on purpose
export const PLACEHOLDER_MARK = "${…}";

export function hasPlaceholder(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

/** The text with every placeholder replaced by `PLACEHOLDER_MARK`. */
export function markPlaceholders(text: string): string {
  return text.replace(PLACEHOLDER, PLACEHOLDER_MARK);
}

/** Whether a text is nothing but one placeholder: the whole value is unknown until deploy time. */
export function isWholePlaceholder(text: string): boolean {
  return markPlaceholders(text.trim()) === PLACEHOLDER_MARK;
}

/**
 * A string field as known at lint time: its text (placeholders normalised to `PLACEHOLDER_MARK`), or why
 * it is not known. `intrinsic` and `placeholder` values are unknown until deploy time; `missing` and
 * `wrong-type` are the document's own state.
 */
export type TextValue =
  | { readonly known: true; readonly text: string }
  | { readonly known: false; readonly why: "intrinsic" | "placeholder" | "missing" | "wrong-type" };

export function textValue(value: unknown): TextValue {
  if (value === undefined || value === null) return { known: false, why: "missing" };
  if (isIntrinsic(value)) return { known: false, why: "intrinsic" };
  if (typeof value !== "string") return { known: false, why: "wrong-type" };
  if (isWholePlaceholder(value)) return { known: false, why: "placeholder" };
  return { known: true, text: value };
}

/**
 * An unknown value in its own file's words, for messages: `var.router_image (Terraform, known at plan)`,
 * `Ref RouterImage (CloudFormation, known at deploy)`, `chosen by condition UseX`. `undefined` for a value that
 * is no marker.
 */
export function unknownText(value: unknown): string | undefined {
  if (!isIntrinsic(value)) return undefined;
  const choice = value.choice;
  if (choice !== undefined)
    return choice.kind === "terraform"
      ? `chosen by ${choice.condition}`
      : `chosen by condition ${choice.condition}`;
  if (value.fn === "terraform") return `${String(value.argument)} (Terraform, known at plan)`;
  const arg = typeof value.argument === "string" ? ` ${value.argument}` : "";
  return `${value.fn}${arg} (CloudFormation, known at deploy)`;
}

/** Whether a field's value is only known at deploy time. */
export function deployTime(value: unknown): boolean {
  return isIntrinsic(value) || (typeof value === "string" && isWholePlaceholder(value));
}

/**
 * `essential` as ECS reads it: omitted (or null) means true; booleans and `"true"`/`"false"` strings as
 * written; `undefined` when it is only known at deploy time or not a boolean at all.
 */
export function essentialValue(raw: unknown): boolean | undefined {
  if (raw === undefined || raw === null) return true;
  return bool(raw);
}

/** Case-insensitive option lookup (Fluent Bit keys are case-insensitive); the key as spelled, for paths. */
export function option(
  options: Readonly<Record<string, unknown>>,
  key: string,
): { key: string; value: unknown } | undefined {
  const want = key.toLowerCase();
  for (const k in options) {
    if (k.length === want.length && k.toLowerCase() === want) return { key: k, value: options[k] };
  }
  return undefined;
}

/** Options of a log or FireLens configuration, keys as written. */
export function optionsOf(holder: unknown): Readonly<Record<string, unknown>> {
  if (!isObject(holder)) return {};
  const o = holder.options;
  return isObject(o) ? o : {};
}

/** Environment as name → value (`undefined` for a deploy-time value), with entry indexes. */
export function environmentOf(list: unknown): Map<string, { value: string | undefined; index: number }> {
  const env = new Map<string, { value: string | undefined; index: number }>();
  const entries = arr(list);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!isObject(e)) continue;
    const name = str(e.name);
    if (name === undefined) continue;
    const v: unknown = e.value;
    env.set(name, {
      value:
        typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined,
      index: i,
    });
  }
  return env;
}
