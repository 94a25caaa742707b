/**
 * Reading a router image reference: registry, repository, tag, digest, and from them the Fluent Bit
 * version the task will run. Image fields are often templates (`Fn::Sub`, `${var}`, `{{ must_env … }}`); the
 * model marks their placeholders as `${…}`, and the literal parts still tell the repository and tag when the
 * placeholders sit in the registry.
 */
import { PLACEHOLDER_MARK } from "./values.js";
import { fluentBitForAws, MUTABLE_TAGS, parseVersion, type Version } from "./versions.js";

export interface ImageRef {
  /** The reference as read; placeholders of intrinsics appear as `${…}`. */
  readonly text: string;
  readonly registry: string | undefined;
  /** Path without registry, tag or digest (`amazon/aws-for-fluent-bit`). */
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const PLACEHOLDER = PLACEHOLDER_MARK;

export function parseImageRef(text: string): ImageRef {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split("/");
  let registry: string | undefined;
  const first = parts[0] ?? "";
  if (
    parts.length > 1 &&
    (first.includes(".") || first.includes(":") || first === "localhost" || first.includes("${"))
  ) {
    registry = first;
    parts.shift();
  }
  return { text, registry, repository: parts.join("/"), tag: tag === "" ? undefined : tag, digest };
}

export type RouterImageKind = "aws-for-fluent-bit" | "fluent-bit" | "fluentd" | "other";

export interface RouterImage {
  /** `undefined` when the image is an intrinsic we cannot read. */
  readonly ref: ImageRef | undefined;
  readonly kind: RouterImageKind;
  /** aws-for-fluent-bit release, when the tag names one. */
  readonly aws: Version | undefined;
  /** Fluent Bit version, when known. */
  readonly fluentBit: Version | undefined;
  /** Tag that moves between deploys (`latest`, `stable`, none at all). Digest-pinned images never are. */
  readonly mutable: boolean;
  /** Why the version is unknown, for messages; `undefined` when it is known. */
  readonly unknownReason: string | undefined;
}

/**
 * Strip the decorations aws-for-fluent-bit and Fluent Bit put around a version in their tags. aws-for-fluent-bit
 * publishes each release as `{arch}-{version}` and `init-{arch}-{version}` besides the manifest lists `{version}`
 * and `init-{version}` (the publish script of aws/aws-for-fluent-bit, `ARCHITECTURES=("amd64" "arm64")`), so a
 * variant and an architecture may both precede the version: `init-arm64-2.32.2.20240627`.
 */
function versionFromTag(tag: string): Version | undefined {
  const core = tag
    .replace(/^(?:(?:init|debug|windowsservercore|amd64|arm64|x86_64|aarch64)-)+/i, "")
    .replace(/(?:-(?:debug|windowsservercore|amd64|arm64|x86_64|aarch64))+$/i, "");
  return parseVersion(core);
}

function isMutableTag(tag: string | undefined, digest: string | undefined): boolean {
  if (digest !== undefined) return false;
  if (tag === undefined) return true;
  const t = tag.toLowerCase();
  return MUTABLE_TAGS.has(t) || t.endsWith("-latest") || t.endsWith("-stable");
}

/** Routers repeat across documents and rules ask several times per task: memoize by reference text. */
const memo = new Map<string, RouterImage>();
const MEMO_LIMIT = 4096;

/** `text`: the image as the model reads it (`imageTextOf`), placeholders marked; `undefined` when opaque. */
export function routerImage(text: string | undefined, firelensType?: string): RouterImage {
  // Only a Fluentd router reads differently; every other type shares one memo keyed by the reference.
  if (text === undefined || firelensType === "fluentd") return readRouterImage(text, firelensType);
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const result = readRouterImage(text, firelensType);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, result);
  return result;
}

function readRouterImage(text: string | undefined, firelensType: string | undefined): RouterImage {
  if (text === undefined || text.trim() === PLACEHOLDER) {
    return {
      ref: undefined,
      kind: firelensType === "fluentd" ? "fluentd" : "other",
      aws: undefined,
      fluentBit: undefined,
      mutable: false,
      unknownReason:
        text === undefined
          ? "the image is not known until deploy time"
          : "the image is a placeholder filled in at deploy time",
    };
  }
  const ref = parseImageRef(text);
  const name = ref.repository.split("/").pop()?.toLowerCase() ?? "";
  // A placeholder in the repository or tag hides what will run; one in the registry does not.
  const tagUnknown = (ref.tag?.includes(PLACEHOLDER) ?? false) || ref.repository.includes(PLACEHOLDER);
  const mutable = !tagUnknown && isMutableTag(ref.tag, ref.digest);
  let kind: RouterImageKind = "other";
  if (name === "aws-for-fluent-bit") kind = "aws-for-fluent-bit";
  else if (name === "fluent-bit") kind = "fluent-bit";
  else if (name.includes("fluentd") || firelensType === "fluentd") kind = "fluentd";

  let aws: Version | undefined;
  let fluentBit: Version | undefined;
  let unknownReason: string | undefined;
  if (tagUnknown) {
    unknownReason = "the image tag is only known at deploy time";
  } else if (ref.tag === undefined && ref.digest !== undefined) {
    unknownReason = "the image is pinned by digest only, which does not name a version";
  } else if (mutable) {
    unknownReason = `the tag '${ref.tag ?? "(none, i.e. latest)"}' moves between releases`;
  } else if (kind === "aws-for-fluent-bit") {
    aws = ref.tag === undefined ? undefined : versionFromTag(ref.tag);
    fluentBit = aws === undefined ? undefined : fluentBitForAws(aws);
    if (aws === undefined) unknownReason = `the tag '${ref.tag}' is not an aws-for-fluent-bit release number`;
    else if (fluentBit === undefined)
      unknownReason = `aws-for-fluent-bit ${ref.tag} is not in our version table`;
  } else if (kind === "fluent-bit") {
    fluentBit = ref.tag === undefined ? undefined : versionFromTag(ref.tag);
    if (fluentBit === undefined) unknownReason = `the tag '${ref.tag}' does not name one Fluent Bit release`;
  } else if (kind === "fluentd") {
    unknownReason = "the router is Fluentd, not Fluent Bit";
  } else {
    unknownReason = `'${ref.repository}' is a custom image whose Fluent Bit version cannot be read from its name`;
  }
  return { ref, kind, aws, fluentBit, mutable, unknownReason };
}
