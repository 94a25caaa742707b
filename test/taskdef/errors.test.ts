import { describe, expect, it } from "vitest";
import { EXPECTED_DOCUMENT, parseDocument, TaskDefError } from "../../src/taskdef/index.js";

function errorOf(text: string, file = "x.json"): TaskDefError {
  try {
    parseDocument(text, file);
  } catch (e) {
    if (e instanceof TaskDefError) return e;
    throw e;
  }
  throw new Error("parsed without error");
}

describe("malformed JSON", () => {
  const cases: Array<[string, string, number, number, string]> = [
    ["missing comma in object", '{\n  "family": "a"\n  "cpu": "256"\n}', 3, 3, "expected ',' or '}'"],
    [
      "missing comma in array",
      '{"containerDefinitions": [\n  {"name": "a"}\n  {"name": "b"}]}',
      3,
      3,
      "expected ',' or ']'",
    ],
    ["unclosed array", "[1,2", 1, 5, "unexpected end of file, expected ',' or ']'"],
    ["trailing comma", '{\n  "a": 1,\n}', 3, 1, "expected a property name (a double-quoted string)"],
    ["missing colon", '{"a" 1}', 1, 6, "expected ':'"],
    ["comment", '{ // hi\n"a": 1}', 1, 3, "comments are not allowed in JSON"],
    ["single quotes", "{'a': 1}", 1, 2, `unexpected character "'"`],
    ["unterminated string", '{"a": "b', 1, 7, "unterminated string"],
    ["garbage after value", '{"containerDefinitions": []} x', 1, 30, 'unexpected character "x"'],
  ];
  for (const [name, text, line, column, detail] of cases) {
    it(`${name} → ${line}:${column}`, () => {
      const e = errorOf(text, "examples/x.json");
      expect(e.kind).toBe("syntax");
      expect([e.line, e.column, e.detail]).toEqual([line, column, detail]);
      expect(e.message).toBe(`examples/x.json:${line}:${column}: ${detail}`);
      expect(e.file).toBe("examples/x.json");
    });
  }

  it("counts columns after CRLF line ends", () => {
    const e = errorOf('{\r\n  "a": 1\r\n  "b": 2\r\n}');
    expect([e.line, e.column]).toEqual([3, 3]);
  });
});

describe("malformed YAML", () => {
  it("reports the YAML parser's message with a location", () => {
    const e = errorOf("Resources:\n  T:\n    Type: [a\n  U: 1\n", "t.yaml");
    expect(e.kind).toBe("syntax");
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(/^t\.yaml:\d+:\d+: \S/);
  });

  it("rejects duplicate keys, which CloudFormation would read ambiguously", () => {
    const e = errorOf("Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n  T:\n    Type: x\n", "t.yaml");
    expect(e.kind).toBe("syntax");
    expect(e.line).toBe(4);
    expect(e.detail).toMatch(/unique/i);
  });
});

describe("valid files that are no task definition", () => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ["a number", "42", 1, 1, /^expected an ECS task definition/],
    ["an object without containers", '{"family": "x"}', 1, 1, /^expected an ECS task definition/],
    ["an empty array", "[]", 1, 1, /no container definitions/],
    ["an array of numbers", "[\n  1\n]", 2, 3, /expected a container definition \(an object\)/],
    [
      "a non-object container",
      '{"containerDefinitions": [{"name": "a"}, "b"]}',
      1,
      42,
      /container definition/,
    ],
    [
      "non-array containerDefinitions",
      '{\n"containerDefinitions": {"name": "a"}}',
      2,
      25,
      /expected containerDefinitions to be an array/,
    ],
    ["non-object taskDefinition", '{"taskDefinition": []}', 1, 20, /expected taskDefinition to be an object/],
    [
      "a template without ECS resources",
      '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}',
      1,
      15,
      /no AWS::ECS::TaskDefinition/,
    ],
    ["a YAML mapping that is no task definition", "family: x\ncpu: 256\n", 1, 1, /CloudFormation template/],
    ["an empty file", "", 1, 1, /CloudFormation template/],
  ];
  for (const [name, text, line, column, detail] of cases) {
    it(name, () => {
      const e = errorOf(text);
      expect(e.kind).toBe("not-a-task-definition");
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.detail).toMatch(detail);
      expect(e.expected).toBeTruthy();
    });
  }

  it("says what was expected", () => {
    const e = errorOf('{"hello": "world"}');
    expect(e.expected).toBe(EXPECTED_DOCUMENT);
    expect(e.message).toBe(`x.json:1:1: expected ${EXPECTED_DOCUMENT}`);
  });

  it("rejects non-object Properties and ContainerDefinitions in templates, located", () => {
    const e = errorOf(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: app\n",
      "t.yaml",
    );
    expect(e.kind).toBe("not-a-task-definition");
    expect([e.line, e.column]).toEqual([5, 29]);
    const p = errorOf('{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": [1]}}}');
    expect(p.detail).toBe("expected T.Properties to be an object");
  });

  it("skips containers chosen by an intrinsic instead of failing", () => {
    const doc = parseDocument(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - !If [C, {Name: a, Image: x}, !Ref AWS::NoValue]\n        - Name: b\n          Image: y\n",
      "t.yaml",
    );
    expect(doc.taskDefinitions[0]?.containers.map((c) => [c.name, c.index])).toEqual([["b", 1]]);
  });
});
