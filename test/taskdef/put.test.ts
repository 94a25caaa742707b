import { beforeAll, describe, expect, it } from "vitest";
import { loadHclParser, parseText } from "../../src/taskdef/index.js";
import { put } from "../../src/taskdef/put.js";

describe("put", () => {
  it("keeps __proto__ as an own property, as JSON.parse does, and leaves the prototype alone", () => {
    const out: Record<string, unknown> = {};
    put(out, "__proto__", { polluted: true });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe(JSON.stringify(JSON.parse('{"__proto__":{"polluted":true}}')));
    expect(Object.keys(out)).toEqual(["__proto__"]);
  });

  it("shadows the other names of Object.prototype with own properties, in insertion order", () => {
    const out: Record<string, unknown> = {};
    put(out, "toString", "a");
    put(out, "constructor", 1);
    put(out, "name", null);
    put(out, "__proto__", 2);
    put(out, "hasOwnProperty", false);
    expect(Object.keys(out)).toEqual(["toString", "constructor", "name", "__proto__", "hasOwnProperty"]);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")).toEqual({
      value: 2,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(JSON.stringify(out)).toBe(
      '{"toString":"a","constructor":1,"name":null,"__proto__":2,"hasOwnProperty":false}',
    );
  });

  it("overwrites a key set before, __proto__ included, without adding a second one", () => {
    const out: Record<string, unknown> = {};
    put(out, "k", 1);
    put(out, "__proto__", 1);
    put(out, "k", 2);
    put(out, "__proto__", 3);
    expect(JSON.stringify(out)).toBe('{"k":2,"__proto__":3}');
  });
});

describe("the Terraform readers keep __proto__ from the file as data", () => {
  beforeAll(async () => {
    await loadHclParser();
  });

  /** The first container's dockerLabels, which the file sets to `{"__proto__": "x", "k": "v"}`. */
  function labels(doc: Awaited<ReturnType<typeof parseText>>): Record<string, unknown> {
    const definition = doc.taskDefinitions[0]?.containers[0]?.definition as { dockerLabels?: object };
    return definition.dockerLabels as Record<string, unknown>;
  }

  it("in a .tf heredoc of JSON", async () => {
    const tf = [
      'resource "aws_ecs_task_definition" "t" {',
      '  family = "t"',
      "  container_definitions = <<EOF",
      '[{"name": "app", "image": "app:1", "dockerLabels": {"__proto__": "x", "k": "v"}}]',
      "EOF",
      "}",
      "",
    ].join("\n");
    const got = labels(await parseText(tf, "main.tf"));
    expect(Object.hasOwn(got, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(JSON.stringify(got)).toBe('{"__proto__":"x","k":"v"}');
  });

  it("in a .tf.json container_definitions string", async () => {
    const defs = JSON.stringify([{ name: "app", image: "app:1", dockerLabels: { k: "v" } }]).replace(
      '{"k"',
      '{"__proto__":"x","k"',
    );
    const text = JSON.stringify({
      resource: { aws_ecs_task_definition: { t: { family: "t", container_definitions: defs } } },
    });
    const got = labels(await parseText(text, "main.tf.json"));
    expect(Object.hasOwn(got, "__proto__")).toBe(true);
    expect(JSON.stringify(got)).toBe('{"__proto__":"x","k":"v"}');
  });
});
