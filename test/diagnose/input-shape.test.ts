import { describe, expect, it } from "vitest";
import { diagnose, parseDiagnoseInput, renderDiagnosisText } from "../../src/diagnose/index.js";
import { fullDocument, pathText, SCALAR_FIELDS, STRUCTURE_FIELDS, setAt } from "./fields.js";
import { controlCharacter, inputError } from "./helpers.js";

const error = inputError;

/** The document with one value replaced, laid out one key per line so that locations mean something. */
function withValue(path: ReadonlyArray<string | number>, value: unknown): string {
  const doc = fullDocument();
  setAt(doc, path, value);
  return JSON.stringify(doc, null, 2);
}

/** 1-based line and column of the first occurrence of `needle`. */
function where(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

describe("the issue's examples", () => {
  it('"taskArn": 5 is left out with a located note; the task is still diagnosed', () => {
    const text = '{"tasks": [\n  {"taskArn": 5, "lastStatus": "STOPPED", "containers": []}\n]}';
    const i = parseDiagnoseInput(text, "t.json");
    expect(i.tasks[0]?.taskArn).toBeUndefined();
    expect(i.notes).toEqual([
      {
        file: "t.json",
        line: 2,
        column: 15,
        jsonPath: "$.tasks[0].taskArn",
        detail: 'expected "taskArn" to be a string, got a number; left out',
        message:
          't.json:2:15: expected "taskArn" to be a string, got a number; left out (at $.tasks[0].taskArn)',
      },
    ]);
    const d = diagnose(i.tasks, { inputNotes: i.notes });
    expect(d.tasks[0]?.taskId).toBe("(task without ARN)");
    expect(renderDiagnosisText(d)).toContain(
      'note: t.json:2:15: expected "taskArn" to be a string, got a number; left out (at $.tasks[0].taskArn)',
    );
  });

  it('"group": 5 is left out with a note: the only service given still matches', () => {
    const text = withValue(["tasks", 0, "group"], 5);
    const i = parseDiagnoseInput(text, "g.json");
    expect(i.notes.map((n) => n.jsonPath)).toEqual(["$.tasks[0].group"]);
    const at = where(text, '"group": 5');
    expect(i.notes[0]).toMatchObject({ line: at.line, column: at.column + '"group": '.length });
    const d = diagnose(i.tasks, { services: i.services });
    expect(d.tasks[0]?.kind).toBe("router-crash");
  });

  it('an event "message": 5 is a located error: events are evidence', () => {
    const text = withValue(["services", 0, "events", 0, "message"], 5);
    const e = error(text, "s.json");
    expect(e.inputKind).toBe("unexpected-shape");
    expect(e.jsonPath).toBe("$.services[0].events[0].message");
    expect(e.expected).toBe("a string");
    const at = where(text, '"message": 5');
    expect(e.message).toBe(
      `s.json:${at.line}:${at.column + '"message": '.length}: expected "message" to be a string, got a number`,
    );
  });

  it('a container "name": {"a": 1} is a located error: roles are read from names', () => {
    const e = error('{"tasks": [{"taskArn": "arn:x/t", "containers": [{"name": {"a": 1}}]}]}');
    expect(e.message).toBe('in.json:1:59: expected "name" to be a string, got an object with keys "a"');
    expect(e.jsonPath).toBe("$.tasks[0].containers[0].name");
  });
});

describe("a wrong type at every field diagnose reads", () => {
  const wrong: Record<string, readonly unknown[]> = {
    string: [5, true, { a: 1 }, ["x"]],
    number: ["139", 1.5, false, [], 1e300],
    boolean: ["true", 1, {}],
    timestamp: [true, "yesterday", { $date: 1 }, 1e20, []],
  };

  for (const field of SCALAR_FIELDS) {
    it(`${pathText(field.path)}: ${field.onWrong}`, () => {
      for (const value of wrong[field.type] ?? []) {
        const text = withValue(field.path, value);
        if (field.onWrong === "error") {
          const e = error(text);
          expect(e.jsonPath).toBe(pathText(field.path));
          expect(e.message).toMatch(/^in\.json:\d+:\d+: expected /);
        } else {
          const i = parseDiagnoseInput(text, "in.json");
          expect(i.notes.map((n) => n.jsonPath)).toEqual([pathText(field.path)]);
          expect(i.notes[0]?.message).toMatch(/^in\.json:\d+:\d+: expected .*; left out \(at \$\./);
          // What is left diagnoses and renders.
          renderDiagnosisText(diagnose(i.tasks, { services: i.services, failures: i.failures }));
        }
      }
    });
  }

  for (const path of STRUCTURE_FIELDS) {
    it(`${pathText(path)}: error`, () => {
      for (const value of [5, "x", true]) {
        const e = error(withValue(path, value));
        expect(e.jsonPath).toBe(pathText(path));
      }
    });
  }

  it("treats null as absent, as for any value the AWS CLI leaves out", () => {
    for (const field of SCALAR_FIELDS) {
      const i = parseDiagnoseInput(withValue(field.path, null), "in.json");
      expect(i.notes).toEqual([]);
    }
  });
});

describe("values that are the right type but unusable", () => {
  it("refuses a timestamp outside Date's range, which would throw when printed", () => {
    const e = error('{"tasks": [{"taskArn": "a", "stoppedAt": 1e20}]}');
    expect(e.message).toBe(
      "in.json:1:42: expected a timestamp (ISO 8601 text or epoch seconds), got 100000000000000000000",
    );
    expect(error('{"tasks": [{"taskArn": "a", "startedAt": "+275760-09-13T00:00:00.001Z"}]}').jsonPath).toBe(
      "$.tasks[0].startedAt",
    );
  });

  it("refuses an exit code that is not a whole number", () => {
    expect(error('{"tasks": [{"taskArn": "a", "containers": [{"exitCode": 1.5}]}]}').message).toBe(
      'in.json:1:57: expected "exitCode" to be a whole number, got 1.5',
    );
  });

  it("reads only the document's own keys: a __proto__ key does not lend its values", () => {
    const i = parseDiagnoseInput(
      '{"tasks": [{"containers": [], "__proto__": {"taskArn": 5, "lastStatus": {"x": 1}}}]}',
      "p.json",
    );
    expect(i.tasks[0]?.taskArn).toBeUndefined();
    expect(i.tasks[0]?.lastStatus).toBeUndefined();
    expect(i.notes).toEqual([]);
  });

  it("keeps only the fields diagnose reads", () => {
    const i = parseDiagnoseInput(
      '{"tasks": [{"taskArn": "a", "cpu": "256", "containers": [{"name": "x", "cpu": "0"}]}]}',
      "k.json",
    );
    expect(i.tasks[0]).toEqual({ taskArn: "a", containers: [{ name: "x" }] });
  });

  it("escapes control characters from the document in messages", () => {
    const e = error('{"tasks": [{"taskArn": "a", "startedAt": "\\u001b[2J\\u009b"}]}');
    expect(e.message).toContain('got "\\u001b[2J\\u009b"');
    expect(controlCharacter(e.message)).toBeUndefined();
    const keys = error('{"tasks": [{"taskArn": "a", "containers": [{"name": {"\\u009b31m": 1}}]}]}');
    expect(keys.message).toContain('keys "\\u009b31m"');
    expect(controlCharacter(keys.message)).toBeUndefined();
  });
});

describe("deep nesting", () => {
  it("refuses '[' * 4937 at the first bracket past the limit, before parsing", () => {
    const e = error("[".repeat(4937), "deep.json");
    expect(e.inputKind).toBe("too-deep");
    expect(e.message).toBe(
      "deep.json:1:65: nested deeper than 64 arrays and objects; no ECS output comes close, so the input is refused",
    );
  });

  it('refuses {"tasks":[[[…6000 levels…]]]} quickly, with its location', () => {
    const text = `{\n"tasks":${"[".repeat(6000)}${"]".repeat(6000)}}`;
    const started = performance.now();
    const e = error(text, "tasks.json");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e.line).toBe(2);
    expect(e.column).toBe(9 + 63);
  });

  it("accepts 64 levels, and brackets inside strings count for nothing", () => {
    const e = error(`${"[".repeat(64)}${"]".repeat(64)}`);
    expect(e.inputKind).toBe("unexpected-shape");
    const quoted = JSON.stringify({ tasks: [{ taskArn: "[".repeat(5000), containers: [] }] });
    expect(parseDiagnoseInput(quoted, "q.json").tasks).toHaveLength(1);
  });
});
