import { createRequire } from "node:module";
import { CfnResource, type PolicyValidationPluginReport, Stack } from "aws-cdk-lib";
// Types only: cdk-nag is an optional peer, loaded when a pack is first made, so the constructs import without it.
import type * as CdkNag from "cdk-nag";
import type { NagPack, NagPackProps, NagRuleResult } from "cdk-nag";
import type { IConstruct } from "constructs";
import { rules as catalogue, type Finding, lintDocument, type Rule, type Severity } from "../rules/index.js";
import { parseDocument } from "../taskdef/index.js";

const TASK_DEFINITION = "AWS::ECS::TaskDefinition";
const SERVICE = "AWS::ECS::Service";

/** The cdk-nag majors this pack runs on: v2 (`NagPack` is an Aspect) and v3 (a policy validation plugin). */
export const CDK_NAG_MAJORS: readonly number[] = [2, 3];

type CdkNagModule = typeof CdkNag;

interface StackIndex {
  readonly taskDefinitions: Map<string, CfnResource>;
  readonly services: Map<string, CfnResource[]>;
}

/** `{ Resources: { id: { Type, Properties } } }` of one resource, tokens resolved, overrides applied. */
function renderedResources(resource: CfnResource): Record<string, { Type?: string; Properties?: unknown }> {
  // The same rendering synthesis uses (public, though underscored), so property overrides are linted too.
  const rendered = Stack.of(resource).resolve(resource._toCloudFormation()) as {
    Resources?: Record<string, { Type?: string; Properties?: unknown }>;
  };
  return rendered.Resources ?? {};
}

function logicalId(resource: CfnResource): string {
  return String(Stack.of(resource).resolve(resource.logicalId));
}

/** The task definition a service runs, when it is a `Ref` to one in the same stack. */
function taskDefinitionRef(service: CfnResource): string | undefined {
  const props = Object.values(renderedResources(service))[0]?.Properties as
    | { TaskDefinition?: unknown }
    | undefined;
  const ref = props?.TaskDefinition;
  if (typeof ref === "object" && ref !== null && typeof Reflect.get(ref, "Ref") === "string") {
    return String(Reflect.get(ref, "Ref"));
  }
  return undefined;
}

/** What the pack uses of cdk-nag's `NagPack` (protected there), the same in v2 and v3. */
interface NagPackBase {
  packName: string;
  applyRule(params: CdkNag.IApplyRule): void;
  validateScope?(scope: IConstruct): PolicyValidationPluginReport;
}
type NagPackBaseConstructor = abstract new (...args: unknown[]) => NagPackBase;
type PackConstructor = new (scope: IConstruct | undefined, props: FireLensChecksProps) => FireLensChecks;

/** The pack's class for one loaded cdk-nag module: it must extend that module's own `NagPack`. */
function definePack(nag: CdkNagModule, major: number): PackConstructor {
  const level: Readonly<Record<Severity, CdkNag.NagMessageLevel>> = {
    error: nag.NagMessageLevel.ERROR,
    warning: nag.NagMessageLevel.WARN,
    note: nag.NagMessageLevel.INFO,
  };

  abstract class Pack extends (nag.NagPack as unknown as NagPackBaseConstructor) {
    readonly name = "FireLensChecks";
    private readonly active: readonly Rule[];
    /** Findings per task definition resource, for the current validation run. */
    protected findings = new WeakMap<CfnResource, Finding[]>();
    /** Task definitions by logical id and services by the task definition they run, per stack, for this run. */
    protected stacks = new WeakMap<Stack, StackIndex>();

    constructor(scope: IConstruct | undefined, props: FireLensChecksProps) {
      // v2's NagPack takes only the props; v3's takes the scope first.
      if (major === 2) super(props);
      else super(scope, props);
      this.packName = "FireLensPreflight";
      const off = new Set((props.disable ?? []).map((d) => d.toUpperCase()));
      this.active = catalogue.filter((r) => !off.has(r.meta.id.toUpperCase()));
    }

    protected checkResource(node: CfnResource): void {
      if (node.cfnResourceType !== TASK_DEFINITION && node.cfnResourceType !== SERVICE) return;
      for (const rule of this.active) {
        // cdk-nag takes one level per applyRule; a rule whose messages differ in severity is applied per severity.
        const severities = new Set<Severity>([
          rule.meta.severity,
          ...Object.values(rule.meta.messageSeverities ?? {}).filter((s): s is Severity => s !== undefined),
        ]);
        for (const severity of severities) {
          this.applyRule({
            ruleSuffixOverride: rule.meta.id,
            info: rule.meta.title,
            explanation: `${rule.meta.rationale} Fix: ${rule.meta.fixHint}`,
            level: level[severity],
            rule: (resource: CfnResource): NagRuleResult => this.findingIds(resource, rule.meta.id, severity),
            node,
          });
        }
      }
    }

    /** The rule's findings on this resource, as cdk-nag finding ids (the container, else the message id). */
    private findingIds(resource: CfnResource, ruleId: string, severity: Severity): NagRuleResult {
      const id = logicalId(resource);
      let taskDefinition: CfnResource | undefined = resource;
      if (resource.cfnResourceType === SERVICE) {
        const ref = taskDefinitionRef(resource);
        taskDefinition =
          ref === undefined ? undefined : this.index(Stack.of(resource)).taskDefinitions.get(ref);
        if (taskDefinition === undefined) return nag.NagRuleCompliance.NOT_APPLICABLE;
      }
      const mine = this.lint(taskDefinition).filter(
        (f) => f.ruleId === ruleId && (f.rawPath?.[0] !== "Resources" || f.rawPath[1] === id),
      );
      const internal = mine.find((f) => f.internalError === true);
      if (internal !== undefined) {
        if (severity === "error") throw new Error(internal.message);
        return nag.NagRuleCompliance.NOT_APPLICABLE;
      }
      const atLevel = mine.filter((f) => f.severity === severity);
      if (atLevel.length === 0) return nag.NagRuleCompliance.COMPLIANT;
      return [...new Set(atLevel.map((f) => f.container ?? f.messageId))];
    }

    private index(stack: Stack): StackIndex {
      const cached = this.stacks.get(stack);
      if (cached !== undefined) return cached;
      const index: StackIndex = { taskDefinitions: new Map(), services: new Map() };
      for (const c of stack.node.findAll()) {
        if (!(c instanceof CfnResource) || Stack.of(c) !== stack) continue;
        if (c.cfnResourceType === TASK_DEFINITION) index.taskDefinitions.set(logicalId(c), c);
        if (c.cfnResourceType === SERVICE) {
          const ref = taskDefinitionRef(c);
          if (ref !== undefined) index.services.set(ref, [...(index.services.get(ref) ?? []), c]);
        }
      }
      this.stacks.set(stack, index);
      return index;
    }

    private lint(taskDefinition: CfnResource): Finding[] {
      const cached = this.findings.get(taskDefinition);
      if (cached !== undefined) return cached;
      const stack = Stack.of(taskDefinition);
      const id = logicalId(taskDefinition);
      const resources: Record<string, unknown> = { ...renderedResources(taskDefinition) };
      for (const service of this.index(stack).services.get(id) ?? []) {
        Object.assign(resources, renderedResources(service));
      }
      const doc = parseDocument(JSON.stringify({ Resources: resources }, null, 1), stack.templateFile);
      const findings = lintDocument(doc, { rules: this.active });
      this.findings.set(taskDefinition, findings);
      return findings;
    }
  }

  if (major === 2) {
    /** cdk-nag v2: an Aspect, `Aspects.of(app).add(new FireLensChecks())`; every construct is visited once per synth. */
    class FireLensChecksV2 extends Pack {
      visit(node: IConstruct): void {
        if (node instanceof CfnResource) this.checkResource(node);
      }
    }
    return FireLensChecksV2 as unknown as PackConstructor;
  }
  /** cdk-nag v3: a policy validation plugin, `Validations.of(app).addPlugins(new FireLensChecks(app))`. */
  class FireLensChecksV3 extends Pack {
    override validateScope(scope: IConstruct): PolicyValidationPluginReport {
      this.findings = new WeakMap();
      this.stacks = new WeakMap();
      return (nag.NagPack.prototype as unknown as Required<NagPackBase>).validateScope.call(this, scope);
    }
  }
  return FireLensChecksV3 as unknown as PackConstructor;
}

const packs = new WeakMap<object, PackConstructor>();

/**
 * The pack's class for a cdk-nag module of the given version. Exported for tests that load a second cdk-nag
 * major under another name; applications use `FireLensChecks`, which loads the `cdk-nag` they installed.
 */
export function fireLensChecksFor(nag: CdkNagModule, version: string): PackConstructor {
  const major = Number.parseInt(version, 10);
  if (!CDK_NAG_MAJORS.includes(major)) {
    throw new Error(
      `FireLensChecks runs on cdk-nag ${CDK_NAG_MAJORS.join(" or ")}, and cdk-nag ${version} is installed: install a supported major (npm install --save-dev cdk-nag@3)`,
    );
  }
  let pack = packs.get(nag);
  if (pack === undefined) {
    pack = definePack(nag, major);
    packs.set(nag, pack);
  }
  return pack;
}

const requireHere = createRequire(import.meta.url);

function installedCdkNag(): { nag: CdkNagModule; version: string } {
  try {
    const nag = requireHere("cdk-nag") as CdkNagModule;
    const { version } = requireHere("cdk-nag/package.json") as { version: string };
    return { nag, version };
  } catch (error) {
    if ((error as { code?: unknown }).code === "MODULE_NOT_FOUND" && /\bcdk-nag\b/.test(String(error))) {
      throw new Error(
        `FireLensChecks needs cdk-nag, an optional peer dependency of firelens-preflight that is not installed: npm install --save-dev cdk-nag (major ${CDK_NAG_MAJORS.join(" or ")})`,
      );
    }
    throw error;
  }
}

/** `FireLensChecks`'s props: cdk-nag's own pack props (of the installed major), plus rules to leave out. */
export interface FireLensChecksProps extends NagPackProps {
  /** Rule ids to leave out (`FLP203`). @default - none */
  readonly disable?: readonly string[];
}

/** The pack is a cdk-nag `NagPack` of the installed major: an Aspect in v2, a validation plugin in v3. */
export type FireLensChecks = NagPack;

export interface FireLensChecksConstructor {
  /** cdk-nag v3 style: `new FireLensChecks(app, props)`; the scope is ignored on v2. */
  new (scope?: IConstruct, props?: FireLensChecksProps): FireLensChecks;
  /** cdk-nag v2 style: `new FireLensChecks(props)`. */
  new (props?: FireLensChecksProps): FireLensChecks;
}

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === "object" && x !== null && "node" in x;
}

/**
 * cdk-nag pack running firelens-preflight's own lint rules (the catalogue the CLI uses; no rule logic here)
 * over every `AWS::ECS::TaskDefinition` and `AWS::ECS::Service`. Each task definition is rendered as
 * CloudFormation (with the services that run it), linted once, and every finding is reported on the resource
 * it is about as `FireLensPreflight-FLPnnn[container]`, so a single finding can be acknowledged.
 *
 * Runs on the cdk-nag the app installed (an optional peer dependency), v2 or v3:
 * - v3: `Validations.of(app).addPlugins(new FireLensChecks(app))`; acknowledge one finding with
 *   `Validations.of(construct).acknowledge({ id: "FireLensPreflight-FLP203[log-router]", reason: "…" })`.
 * - v2: `Aspects.of(app).add(new FireLensChecks())`; suppress with `NagSuppressions.addResourceSuppressions`.
 * Any other major, or no cdk-nag at all, throws a message saying what to install when the pack is made;
 * importing `firelens-preflight/cdk` never needs cdk-nag.
 */
export const FireLensChecks: FireLensChecksConstructor = function FireLensChecks(
  scopeOrProps?: IConstruct | FireLensChecksProps,
  props?: FireLensChecksProps,
): FireLensChecks {
  if (new.target === undefined) throw new TypeError("FireLensChecks is a class: use `new FireLensChecks(…)`");
  const { nag, version } = installedCdkNag();
  const Pack = fireLensChecksFor(nag, version);
  const scope = isConstruct(scopeOrProps) ? scopeOrProps : undefined;
  const options = isConstruct(scopeOrProps) ? (props ?? {}) : (scopeOrProps ?? props ?? {});
  // A constructor that returns an object makes `new` yield it: the pack of the installed cdk-nag major.
  return new Pack(scope, options) as unknown as FireLensChecks;
} as unknown as FireLensChecksConstructor;
