/**
 * What rules share beyond the task reading (`ctx.task`, from the model part): paths for findings, labels for
 * messages, the router image read once per task, and reachability along `dependsOn`.
 */
import type { ContainerReading, RouterImage, TaskReading } from "../model/index.js";
import { firelensTypeOf, routerImage } from "../model/index.js";
import type { JsonPath } from "../taskdef/model.js";

export { arr, bool, isObject, num, option, optionsOf, str } from "../model/index.js";

/** Path of a container field, relative to the task definition (camelCase, translated by `doc.rawPath`). */
export function cpath(c: { readonly index: number }, ...rest: ReadonlyArray<string | number>): JsonPath {
  return ["containerDefinitions", c.index, ...rest];
}

/**
 * Items as text joined by `separator`, each through `show`. A loop rather than `map().join()`: messages are built
 * for every finding, and `Array.prototype.join` costs several times as much on these short lists.
 */
export function joinText<T>(items: readonly T[], separator: string, show: (item: T) => string): string {
  let out = "";
  for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : separator) + show(items[i] as T);
  return out;
}

function quoted(name: string): string {
  return `'${name}'`;
}

/** A list of names for messages: `'a', 'b'`. */
export function quoteList(names: readonly string[]): string {
  return joinText(names, ", ", quoted);
}

/** Router images read for the current task reading; rules ask several times per task. */
let imagesFor: TaskReading | undefined;
let images: Array<RouterImage | undefined> = [];

/** The router image of a container, read once per task however many rules ask. */
export function routerImageOf(task: TaskReading, c: ContainerReading): RouterImage {
  if (imagesFor !== task) {
    imagesFor = task;
    images = [];
  }
  let img = images[c.index];
  if (img === undefined) {
    img = routerImage(c.imageText, firelensTypeOf(c.definition));
    images[c.index] = img;
  }
  return img;
}

/** Whether `from` starts only after `to` along literal `dependsOn` edges (any condition). */
export function waitsOn(task: TaskReading, from: ContainerReading, to: ContainerReading): boolean {
  const seen = new Set<number>([from.index]);
  const stack = [from];
  while (stack.length > 0) {
    const cur = stack.pop() as ContainerReading;
    for (const d of cur.dependsOn) {
      const next = d.target === undefined ? undefined : task.byName.get(d.target);
      if (next === undefined) continue;
      if (next === to) return true;
      if (!seen.has(next.index)) {
        seen.add(next.index);
        stack.push(next);
      }
    }
  }
  return false;
}

/** Whether every essential app of the task is held back by a non-essential gate (and there is one app at least). */
export function allAppsGated(task: TaskReading): boolean {
  return task.apps.length > 0 && task.ungatedApps.length === 0;
}
