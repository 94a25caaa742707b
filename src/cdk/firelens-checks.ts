import { CfnResource, type PolicyValidationPluginReport, Stack } from "aws-cdk-lib";
import { NagMessageLevel, NagPack, type NagPackProps, NagRuleCompliance, type NagRuleResult } from "cdk-nag";
import type { IConstruct } from "constructs";
import { rules as catalogue, type Finding, lintDocument, type Rule, type Severity } from "../rules/index.js";
import { parseDocument } from "../taskdef/index.js";

const TASK_DEFINITION = "AWS::ECS::TaskDefinition";
const SERVICE = "AWS::ECS::Service";

const LEVEL: Readonly<Record<Severity, NagMessageLevel>> = {
  error: NagMessageLevel.ERROR,
  warning: NagMessageLevel.WARN,
  note: NagMessageLevel.INFO,
};

interface StackIndex {
  readonly taskDefinitions: Map<string, CfnResource>;
  readonly services: Map<string, CfnResource[]>;
}

export interface FireLensChecksProps extends NagPackProps {
  /** Rule ids to leave out (`FLP203`). @default - none */
  readonly disable?: readonly string[];
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

/**
 * cdk-nag pack running firelens-preflight's own lint rules (the catalogue the CLI uses; no rule logic here)
 * over every `AWS::ECS::TaskDefinition` and `AWS::ECS::Service`. Each task definition is rendered as
 * CloudFormation (with the services that run it), linted once, and every finding is reported on the resource
 * it is about as `FireLensPreflight-FLPnnn[container]`, so a single finding can be acknowledged:
 * `Validations.of(construct).acknowledge({ id: "FireLensPreflight-FLP203[log-router]", reason: "…" })`.
 *
 * Register with `Validations.of(app).addPlugins(new FireLensChecks(app))` (cdk-nag v3).
 */
export class FireLensChecks extends NagPack {
  readonly name = "FireLensChecks";
  private readonly active: readonly Rule[];
  /** Findings per task definition resource, for the current validation run. */
  private findings = new WeakMap<CfnResource, Finding[]>();
  /** Task definitions by logical id and services by the task definition they run, per stack, for this run. */
  private stacks = new WeakMap<Stack, StackIndex>();

  constructor(scope?: IConstruct, props: FireLensChecksProps = {}) {
    super(scope, props);
    this.packName = "FireLensPreflight";
    const off = new Set((props.disable ?? []).map((d) => d.toUpperCase()));
    this.active = catalogue.filter((r) => !off.has(r.meta.id.toUpperCase()));
  }

  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.findings = new WeakMap();
    this.stacks = new WeakMap();
    return super.validateScope(scope);
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
          level: LEVEL[severity],
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
      if (taskDefinition === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    }
    const mine = this.lint(taskDefinition).filter(
      (f) => f.ruleId === ruleId && (f.rawPath?.[0] !== "Resources" || f.rawPath[1] === id),
    );
    const internal = mine.find((f) => f.internalError === true);
    if (internal !== undefined) {
      if (severity === "error") throw new Error(internal.message);
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const atLevel = mine.filter((f) => f.severity === severity);
    if (atLevel.length === 0) return NagRuleCompliance.COMPLIANT;
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
