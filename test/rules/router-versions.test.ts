import { describe, expect, it } from "vitest";
import { imageTextOf } from "../../src/model/index.js";
import { parseImageRef, routerImage } from "../../src/model/router-image.js";
import {
  bugsFor,
  compareVersions,
  fluentBitForAws,
  KNOWN_BUGS,
  parseVersion,
  shortLink,
} from "../../src/rules/data/router-versions.js";
import { intrinsic } from "../../src/taskdef/values.js";

describe("image references", () => {
  it.each([
    [
      "amazon/aws-for-fluent-bit:2.19.0",
      { registry: undefined, repository: "amazon/aws-for-fluent-bit", tag: "2.19.0", digest: undefined },
    ],
    [
      "906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:stable",
      {
        registry: "906394416424.dkr.ecr.us-east-1.amazonaws.com",
        repository: "aws-for-fluent-bit",
        tag: "stable",
      },
    ],
    [
      "registry.local:5000/team/aws-for-fluent-bit",
      { registry: "registry.local:5000", repository: "team/aws-for-fluent-bit", tag: undefined },
    ],
    [
      `fluent/fluent-bit:1.9.10@sha256:${"e".repeat(64)}`,
      { repository: "fluent/fluent-bit", tag: "1.9.10", digest: `sha256:${"e".repeat(64)}` },
    ],
    ["localhost/fluent-bit", { registry: "localhost", repository: "fluent-bit", tag: undefined }],
    ["nginx", { registry: undefined, repository: "nginx", tag: undefined }],
  ])("%s", (text, expected) => {
    expect(parseImageRef(text)).toMatchObject(expected);
  });
});

describe("router image → version", () => {
  it.each([
    ["amazon/aws-for-fluent-bit:2.19.0", [2, 19, 0], [1, 8, 3], false],
    ["public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.5", [2, 32, 5], [1, 9, 10], false],
    ["amazon/aws-for-fluent-bit:debug-2.21.1", [2, 21, 1], [1, 8, 9], false],
    // Per-architecture tags, plain and init (aws-for-fluent-bit scripts/publish.sh).
    [
      "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-arm64-2.32.2.20240627",
      [2, 32, 2],
      [1, 9, 10],
      false,
    ],
    ["amazon/aws-for-fluent-bit:arm64-2.31.12", [2, 31, 12], [1, 9, 10], false],
    ["amazon/aws-for-fluent-bit:amd64-2.19.0", [2, 19, 0], [1, 8, 3], false],
    ["amazon/aws-for-fluent-bit:init-amd64-3.0.1", [3, 0, 1], [4, 1, 1], false],
    ["amazon/aws-for-fluent-bit:init-arm64-latest", undefined, undefined, true],
    ["amazon/aws-for-fluent-bit:2.32.5.20250212", [2, 32, 5], [1, 9, 10], false],
    ["amazon/aws-for-fluent-bit:3.0.1", [3, 0, 1], [4, 1, 1], false],
    ["amazon/aws-for-fluent-bit:3.9.9", [3, 9, 9], undefined, false],
    ["amazon/aws-for-fluent-bit:stable", undefined, undefined, true],
    ["amazon/aws-for-fluent-bit", undefined, undefined, true],
    ["fluent/fluent-bit:1.8.3-debug", undefined, [1, 8, 3], false],
    ["fluent/fluent-bit:2.0", undefined, undefined, false],
    ["my-router:1.2.3", undefined, undefined, false],
  ] as const)("%s", (image, aws, fb, mutable) => {
    const r = routerImage(image);
    expect(r.aws).toEqual(aws);
    expect(r.fluentBit).toEqual(fb);
    expect(r.mutable).toBe(mutable);
    expect(r.unknownReason === undefined).toBe(fb !== undefined);
  });

  it("reads the literal parts of Fn::Sub and Fn::Join, and gives up on Ref", () => {
    const sub = routerImage(
      imageTextOf(
        intrinsic(
          "Fn::Sub",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation substitution, on purpose
          "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/aws-for-fluent-bit:2.20.0",
        ),
      ),
    );
    expect(sub.fluentBit).toEqual([1, 8, 7]);
    const join = routerImage(
      imageTextOf(intrinsic("Fn::Join", ["", [{ Ref: "Registry" }, "/aws-for-fluent-bit:stable"]])),
    );
    expect(join.mutable).toBe(true);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation substitution, on purpose
    const tag = routerImage(imageTextOf(intrinsic("Fn::Sub", "amazon/aws-for-fluent-bit:${Tag}")));
    expect(tag).toMatchObject({
      mutable: false,
      fluentBit: undefined,
      unknownReason: "the image tag is only known at deploy time",
    });
    expect(routerImage(imageTextOf(intrinsic("Ref", "Image")))).toMatchObject({
      ref: undefined,
      mutable: false,
      fluentBit: undefined,
    });
  });
});

describe("known bugs", () => {
  const ids = (image: Parameters<typeof bugsFor>[0]) => bugsFor(image).map((b) => b.id);

  it("the seed's 2.19.0 (Fluent Bit 1.8.3) carries the health-endpoint and Datadog remap crashes", () => {
    expect(ids({ aws: [2, 19, 0], fluentBit: [1, 8, 3] })).toEqual(["A", "C", "E", "F", "G", "H", "M"]);
  });

  it("aws-for-fluent-bit's own patches override the upstream ranges", () => {
    expect(ids({ aws: [2, 29, 0], fluentBit: [1, 9, 10] })).toEqual(["B"]);
    expect(ids({ aws: [2, 29, 1], fluentBit: [1, 9, 10] })).toEqual(["B2"]);
    expect(ids({ aws: [2, 32, 5], fluentBit: [1, 9, 10] })).toEqual([]);
    // The same Fluent Bit version from upstream still has B.
    expect(ids({ fluentBit: [1, 9, 10] })).toEqual(["B"]);
    expect(ids({ fluentBit: [4, 2, 8] })).toEqual(["N"]);
  });

  it("maps releases and versions", () => {
    expect(fluentBitForAws([2, 19, 2])).toEqual([1, 8, 6]);
    expect(fluentBitForAws([2, 34, 2])).toEqual([1, 9, 10]);
    expect(fluentBitForAws([2, 16, 0])).toBeUndefined();
    expect(parseVersion("v1.8.3")).toEqual([1, 8, 3]);
    expect(parseVersion("1.8")).toBeUndefined();
    expect(compareVersions([1, 8, 7], [1, 8, 10])).toBeLessThan(0);
    expect(shortLink("https://github.com/fluent/fluent-bit/issues/3983")).toBe("fluent-bit#3983");
  });

  it("every bug links to its source", () => {
    for (const b of KNOWN_BUGS) {
      expect(b.links.length, b.id).toBeGreaterThan(0);
      for (const l of b.links) expect(l).toMatch(/^https:\/\/github\.com\//);
    }
  });
});
