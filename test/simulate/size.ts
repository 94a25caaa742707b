/**
 * The size of every function and class in a folder, measured on the TypeScript syntax tree: first to last
 * line of the declaration, its leading doc comment left out. `npx tsx test/simulate/size.ts [dir]` prints
 * the largest; size.test.ts holds src/simulate to its limits.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export interface Unit {
  readonly file: string;
  readonly kind: "function" | "class";
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as { name?: ts.Node };
  if (named.name) return named.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(sf);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  return "(anonymous)";
}

export function measure(dir: string): Unit[] {
  const units: Unit[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
    const file = join(dir, f);
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const isFunction =
        ts.isFunctionDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isArrowFunction(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isConstructorDeclaration(node) ||
        ts.isGetAccessorDeclaration(node) ||
        ts.isSetAccessorDeclaration(node);
      const isClass = ts.isClassDeclaration(node) || ts.isClassExpression(node);
      if (isFunction || isClass) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        units.push({
          file,
          kind: isClass ? "class" : "function",
          name: nameOf(node, sf),
          line: start + 1,
          lines: end - start + 1,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return units.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1]?.endsWith("size.ts")) {
  const dir = process.argv[2] ?? "src/simulate";
  const units = measure(dir);
  for (const kind of ["class", "function"] as const) {
    const all = units.filter((u) => u.kind === kind);
    process.stdout.write(`${dir}: ${all.length} ${kind} units; the largest:\n`);
    for (const u of all.slice(0, 5))
      process.stdout.write(`  ${u.lines} lines  ${u.file}:${u.line} ${u.name}\n`);
  }
}
