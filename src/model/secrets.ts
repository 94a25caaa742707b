/**
 * What counts as a secret, once, and how it is masked in what we print. FLP301 reports the plain values this
 * finds; every renderer (lint/check text, JSON and SARIF; `fix --dry-run`; `diagnose`) masks the same values.
 *
 * A value is a secret when its key names one (`DD_API_KEY`, `apikey`, `*_TOKEN`, `*PASSWORD*`, …, but not
 * `*_ARN`, `*_FILE`, … which name a secret without holding it, nor a logger's level such as
 * `LOGGING_LEVEL_COM_AMAZONAWS_SECRETSMANAGER`, nor the AWS service Secrets Manager) and the value is not a
 * switch, a log level, a short number, a placeholder (`<DD API KEY>`, `${DD_API_KEY}`, `{{ api_key }}`,
 * `YOUR_API_KEY`, `xxxx`) or an ARN; or, under any key, when the value has the shape of a Datadog API key
 * (32 hex digits) or an AWS secret access key (40 characters of base64 with upper case, lower case and digits).
 *
 * Masking is for what is printed, never for what is written: `fix` writes the document with its values.
 * Masks keep the key name and the value's position and length (`*` for each character in a source excerpt,
 * so columns and carets stay right); a finding names the value by a short fingerprint, as secret scanners do.
 */
import { createHash } from "node:crypto";
import type { ContainerDefinition, JsonPath, TaskDefinitionDocument } from "../taskdef/model.js";
import { arr, isObject, str } from "./values.js";

const SECRET_KEY_WORDS =
  "api[_-]?key|apikey|app[_-]?key|access[_-]?key|secret|token|passw(?:or)?d|passwd|\\bpwd\\b|_pwd$|credential|private[_-]?key|license[_-]?key|cloud_auth|http_auth|auth[_-]?header|dsn$";
const SECRET_KEY = new RegExp(`(${SECRET_KEY_WORDS})`, "i");
/** Keys that name a secret without holding it. */
const REFERENCE_KEY = /(_arn|_file|_path|_url|_uri|_name|_type|_mode|_header_name|_enabled|_id)$/i;
/**
 * Keys that set a logger's level (Spring Boot's `logging.level.<logger>` as `LOGGING_LEVEL_<LOGGER>`): the
 * logger's name may hold a secret word (`…_SECRETSMANAGER`, `…_TOKEN_FILTER`), the value is a level.
 */
const LOG_LEVEL_KEY = /^logging[._-]level(?:[._-]|$)/i;
/** The AWS service's name holds the word `secret` without naming a value: `AWS_SECRETSMANAGER_ENDPOINT`. */
const SERVICE_WORD = /secrets?[_-]?manager/gi;
/** Switches and log levels: a credential never reads `DEBUG` or `off`. */
const HARMLESS_VALUE =
  /^(on|off|true|false|yes|no|none|null|trace|debug|info|notice|warn|warning|error|fatal|critical|all|)$/i;
/**
 * Placeholders written where the value goes, in the forms documentation and templates use: `<DD API KEY>`,
 * `${DD_API_KEY}`, `{{ api_key }}`, `%{api_key}`, `YOUR_API_KEY`, `REPLACE_ME`, `xxxx`, `****`.
 */
const PLACEHOLDER_VALUE =
  /^(?:<[^<>]+>|\$\{[^}]+\}|\{\{[^{}]+\}\}|%\{[^}]+\}|your[\s_-].*|replace[\s_-]?(?:me|with\b.*)|x{3,}|\*{3,}|\.{3}|…)$/i;
/** A Datadog API key: 32 lower-case hex digits. */
const DATADOG_API_KEY = /^[0-9a-f]{32}$/;
/** An AWS secret access key: 40 characters of base64 (checked for mixed case and digits below). */
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;

/** A value that holds no secret of its own: empty, a switch, a placeholder, an ARN. */
function harmless(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "boolean" || typeof value === "number") return true;
  if (typeof value !== "string") return false;
  const v = value.trim();
  // Short numbers are settings (`TOKEN_TTL=3600`, `PASSWORD_MIN_LENGTH=12`), not credentials.
  return HARMLESS_VALUE.test(v) || PLACEHOLDER_VALUE.test(v) || v.startsWith("arn:") || /^\d{1,5}$/.test(v);
}

/** Key names repeat across files (`Name`, `region`, `DD_API_KEY`): judge each spelling once. */
const keyMemo = new Map<string, boolean>();

/** Whether a key (environment name, log option) names a secret value. */
export function isSecretKey(key: string): boolean {
  let hit = keyMemo.get(key);
  if (hit === undefined) {
    hit =
      SECRET_KEY.test(key.replace(SERVICE_WORD, "")) && !REFERENCE_KEY.test(key) && !LOG_LEVEL_KEY.test(key);
    if (keyMemo.size > 4096) keyMemo.clear();
    keyMemo.set(key, hit);
  }
  return hit;
}

/** Whether a whole value has the shape of a known credential, whatever its key. */
export function hasSecretShape(value: string): boolean {
  // Most values are neither 32 nor 40 characters long: no regex for them.
  if (value.length !== 32 && value.length !== 40) return false;
  if (DATADOG_API_KEY.test(value)) return true;
  return AWS_SECRET_KEY.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value);
}

/** Whether `value`, set under `key`, is a secret held in plain text. */
export function looksSecret(key: string, value: unknown): boolean {
  if (isSecretKey(key)) return !harmless(value);
  if (typeof value !== "string" || value.length < 32) return false;
  return hasSecretShape(value.length === 32 || value.length === 40 ? value : value.trim());
}

/** Where a plain secret sits in a container definition. */
export type SecretField = "environment" | "logConfiguration" | "firelensConfiguration";

export interface PlainSecret {
  readonly field: SecretField;
  readonly key: string;
  /** The value as written (a string, or an intrinsic or other non-string that will hold the secret). */
  readonly value: unknown;
  /** camelCase path relative to the container definition. */
  readonly path: JsonPath;
}

/** Every secret in plain `environment`, `logConfiguration.options` and `firelensConfiguration.options`. */
export function plainSecrets(definition: ContainerDefinition): PlainSecret[] {
  const out: PlainSecret[] = [];
  const env = arr(definition.environment as unknown);
  for (let i = 0; i < env.length; i++) {
    const e = env[i];
    if (!isObject(e)) continue;
    const key = str(e.name);
    if (key !== undefined && looksSecret(key, e.value)) {
      out.push({ field: "environment", key, value: e.value, path: ["environment", i, "value"] });
    }
  }
  for (const field of ["logConfiguration", "firelensConfiguration"] as const) {
    const holder: unknown = definition[field];
    if (!isObject(holder) || !isObject(holder.options)) continue;
    const options = holder.options;
    for (const key in options) {
      if (looksSecret(key, options[key])) {
        out.push({ field, key, value: options[key], path: [field, "options", key] });
      }
    }
  }
  return out;
}

/** A short, stable name for a secret value (`sha256:1a2b3c4d`), to tell two exposed values apart. */
export function secretFingerprint(value: string): string {
  return `sha256:${createHash("sha256").update(value, "utf8").digest("hex").slice(0, 8)}`;
}

/** The mask printed in place of a secret in free text. */
export const SECRET_MASK = "****";

/** A text span holding a secret. */
export interface SecretSpan {
  readonly offset: number;
  readonly length: number;
}

/** Secrets of a document: where they sit in its text, and their values (for copies elsewhere). */
export interface DocumentSecrets {
  readonly spans: readonly SecretSpan[];
  readonly values: readonly string[];
}

/** Values shorter than this are masked only where they were found, not wherever the same text appears. */
const MIN_COPY_LENGTH = 8;

/** A property's key and separator at the start of a located span: `"apikey": `, `apikey: `, `Value: `. */
const PROPERTY_HEAD = /^(?:"(?:[^"\\]|\\.)*"|'[^'\n]*'|[^\s"':,{}[\]]+)[ \t]*:[ \t]*/;

/**
 * The span of the value at a location, without its key (a location may be the whole property,
 * `"value": "…"`) and without its quotes. With `value`, its written form is searched in the span first;
 * a location much longer than the value (one that fell back to an ancestor, a value inside an encoded
 * string) gives `undefined`, and the copy search in `maskSecretsInText` covers it.
 */
export function secretSpanAt(
  text: string,
  at: { readonly offset: number; readonly length: number },
  value?: string,
): SecretSpan | undefined {
  const end = at.offset + at.length;
  if (at.length <= 0 || at.offset < 0 || end > text.length) return undefined;
  const slice = text.slice(at.offset, end);
  if (value !== undefined && value !== "") {
    for (const form of new Set([JSON.stringify(value).slice(1, -1), value])) {
      const i = slice.lastIndexOf(form);
      if (i >= 0) return { offset: at.offset + i, length: form.length };
    }
  }
  const head = PROPERTY_HEAD.exec(slice)?.[0].length ?? 0;
  let from = at.offset + head;
  let to = end;
  const q = text[from];
  if ((q === '"' || q === "'") && to - from >= 2 && text[to - 1] === q) {
    from++;
    to--;
  }
  // Escapes, YAML folding and quoting make a written value longer than its text, never much longer.
  if (value !== undefined && to - from > value.length * 6 + 16) return undefined;
  return to > from ? { offset: from, length: to - from } : undefined;
}

/** Where the plain secrets of every task definition in `doc` are, and their values. */
export function documentSecrets(doc: TaskDefinitionDocument): DocumentSecrets {
  const spans: SecretSpan[] = [];
  const values = new Set<string>();
  for (const td of doc.taskDefinitions) {
    for (const c of td.containers) {
      for (const s of plainSecrets(c.definition)) {
        if (typeof s.value !== "string" || s.value === "") continue;
        values.add(s.value);
        try {
          const at = doc.locate(doc.rawPath(td, ["containerDefinitions", c.index, ...s.path]));
          const span = secretSpanAt(doc.text, at, s.value);
          if (span !== undefined) spans.push(span);
        } catch {
          // Not locatable: the copy search below still masks the value where it is written as is.
        }
      }
    }
  }
  return { spans, values: [...values] };
}

/** The forms a value takes in a document's text: as is, and JSON-escaped (once and inside another string). */
function writtenForms(value: string, minLength: number): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  return [...new Set([value, once, twice])].filter((f) => f.length >= Math.max(1, minLength));
}

/** `text` with each character of a span but line breaks replaced by `*`: same length, same lines. */
function starSpans(text: string, spans: readonly SecretSpan[]): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.offset - b.offset);
  let out = "";
  let from = 0;
  for (const s of sorted) {
    const start = Math.max(s.offset, from);
    const end = Math.min(s.offset + s.length, text.length);
    if (end <= start) continue;
    out += text.slice(from, start) + text.slice(start, end).replace(/[^\r\n]/g, "*");
    from = end;
  }
  return out + text.slice(from);
}

/**
 * `text` (the document's, or a text derived from it such as the gated document) with every secret masked
 * by `*`, character for character: positions, lines and lengths stay as they were. Spans apply to the
 * document's own text; every written copy of a value of `minCopyLength` characters or more (8 unless
 * told: a shorter value such as `app` would mask a container name too) is masked wherever it appears.
 */
export function maskSecretsInText(
  text: string,
  secrets: DocumentSecrets,
  minCopyLength = MIN_COPY_LENGTH,
): string {
  const spans: SecretSpan[] = [...secrets.spans];
  for (const value of secrets.values) {
    for (const form of writtenForms(value, minCopyLength)) {
      for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + form.length)) {
        spans.push({ offset: i, length: form.length });
      }
    }
  }
  return starSpans(text, spans);
}

/** The document's text as it may be printed: every plain secret masked in place. */
export function maskedDocumentText(doc: TaskDefinitionDocument): string {
  return maskSecretsInText(doc.text, documentSecrets(doc));
}

const KEYED_SECRET = new RegExp(
  `([A-Za-z0-9_.-]*(?:${SECRET_KEY_WORDS.replace(/\$/g, "")})[A-Za-z0-9_.-]*)("?\\s*[:=]\\s*"?)([^\\s"',;&)}\\]]+)`,
  "gi",
);
const BEARER = /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{8,})/g;
const SHAPED = /(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;

/**
 * Free text from a document (a stop reason, an event message) with what looks secret masked: the value
 * after a secret-named key (`DD_API_KEY=…`, `apikey: …`), a bearer token, and anything shaped like an AWS
 * secret access key. A bare 32-hex word is kept: ECS task ids have that shape too.
 */
export function maskSecretsInFreeText(text: string): string {
  if (text.length < 8) return text;
  return text
    .replace(KEYED_SECRET, (m, key: string, sep: string, value: string) =>
      isSecretKey(key.replace(/^[-_.]+|[-_.]+$/g, "")) && !harmless(value) ? `${key}${sep}${SECRET_MASK}` : m,
    )
    .replace(BEARER, (_m, scheme: string, sep: string) => `${scheme}${sep}${SECRET_MASK}`)
    .replace(SHAPED, (m, value: string) => (hasSecretShape(value) ? SECRET_MASK : m));
}
