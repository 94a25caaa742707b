/**
 * The fresh projects the consumer test installs the packed tarball into, as files: a CommonJS and an ESM
 * JavaScript app, TypeScript apps compiled as CommonJS (`module: node16`) and as ESM (`module: nodenext`,
 * plus a `moduleResolution: bundler` check), and a CDK app shaped like `cdk init app --language typescript`
 * (aws-cdk 2.1148: no `"type"`, so CommonJS; `tsc` then `tsx` as its `app` command).
 */

/** Every public subpath, with one export each must have. */
export const SUBPATHS: Readonly<Record<string, string>> = {
  "firelens-preflight": "lintDocument",
  "firelens-preflight/taskdef": "parseDocument",
  "firelens-preflight/rules": "formatSarif",
  "firelens-preflight/fix": "applyGate",
  "firelens-preflight/plan": "buildStartupPlan",
  "firelens-preflight/simulate": "loadScenario",
  "firelens-preflight/diagnose": "diagnose",
  "firelens-preflight/probe": "probeMain",
  "firelens-preflight/cdk": "LogRouterPreflight",
};

/** What each JavaScript and TypeScript app prints: the exports it found and the seed's findings. */
const USE = `
const found = {};
for (const [name, mod] of Object.entries(modules)) found[name] = typeof mod[EXPECTED[name]];
const doc = modules["firelens-preflight"].parseDocument(readFileSync("task-definition.json", "utf8"), "task-definition.json");
const ids = modules["firelens-preflight"].lintDocument(doc).map((f) => f.ruleId);
const gated = modules["firelens-preflight/fix"].applyGate(doc, { probeImage: "example.com/probe:1" });
console.log(JSON.stringify({ found, ids, gated: gated.changed }));
`;

const EXPECTED_JS = `const EXPECTED = ${JSON.stringify(SUBPATHS)};`;

export const CJS_JS = `"use strict";
const { readFileSync } = require("node:fs");
${EXPECTED_JS}
const modules = {};
for (const name of Object.keys(EXPECTED)) modules[name] = require(name);
${USE}`;

export const ESM_JS = `import { readFileSync } from "node:fs";
${EXPECTED_JS}
const modules = {};
for (const name of Object.keys(EXPECTED)) modules[name] = await import(name);
${USE}`;

/** Static imports of every subpath, used with their types, and the official ECS types checked to be real. */
export const TS_APP = `import { readFileSync } from "node:fs";
import type { ContainerDefinition as SdkContainerDefinition } from "@aws-sdk/client-ecs";
import * as root from "firelens-preflight";
import { type Finding, lintDocument, parseDocument } from "firelens-preflight";
import * as cdk from "firelens-preflight/cdk";
import * as diagnoseModule from "firelens-preflight/diagnose";
import * as fix from "firelens-preflight/fix";
import * as plan from "firelens-preflight/plan";
import * as probe from "firelens-preflight/probe";
import * as rulesModule from "firelens-preflight/rules";
import * as simulate from "firelens-preflight/simulate";
import * as taskdef from "firelens-preflight/taskdef";
import type { ContainerDefinition, TaskDefinitionDocument } from "firelens-preflight/taskdef";

// The library's container type is the official one from @aws-sdk/client-ecs, not \`any\`.
type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny: IsAny<ContainerDefinition> = false;
const doc: TaskDefinitionDocument = parseDocument(readFileSync("task-definition.json", "utf8"), "task-definition.json");
const first: SdkContainerDefinition | undefined = doc.taskDefinitions[0]?.containers[0]?.definition;
const findings: Finding[] = lintDocument(doc);
const modules: Record<string, Record<string, unknown>> = {
  "firelens-preflight": root,
  "firelens-preflight/taskdef": taskdef,
  "firelens-preflight/rules": rulesModule,
  "firelens-preflight/fix": fix,
  "firelens-preflight/plan": plan,
  "firelens-preflight/simulate": simulate,
  "firelens-preflight/diagnose": diagnoseModule,
  "firelens-preflight/probe": probe,
  "firelens-preflight/cdk": cdk,
};
${EXPECTED_JS}
const found: Record<string, string> = {};
for (const [name, mod] of Object.entries(modules)) found[name] = typeof mod[(EXPECTED as Record<string, string>)[name] as string];
const order = plan.buildStartupPlan(doc.taskDefinitions[0] as taskdef.TaskDefinitionView).stages;
const gated = fix.applyGate(doc, { probeImage: "example.com/probe:1" });
console.log(JSON.stringify({ found, ids: findings.map((f) => f.ruleId), gated: gated.changed, notAny, first: first?.name, order }));
`;

export function tsconfig(module: "node16" | "nodenext", extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module,
        moduleResolution: module,
        strict: true,
        // What nearly every project sets (cdk init does too). Our own declarations get a full check below.
        skipLibCheck: true,
        types: ["node"],
        outDir: "dist",
        ...extra,
      },
      include: ["index.ts"],
    },
    null,
    2,
  )}\n`;
}

/** `cdk init app --language typescript`'s tsconfig.json (aws-cdk 2.1148), without jest. */
export const CDK_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["es2022"],
      declaration: true,
      strict: true,
      noImplicitAny: true,
      strictNullChecks: true,
      noImplicitThis: true,
      alwaysStrict: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: false,
      inlineSourceMap: true,
      inlineSources: true,
      experimentalDecorators: true,
      strictPropertyInitialization: false,
      skipLibCheck: true,
      // cdk init sets typeRoots to ./node_modules/@types; in this test's workspace npm hoists @types to the
      // parent's node_modules, which TypeScript's default typeRoots (every node_modules/@types upwards) finds.
      noEmit: true,
      isolatedModules: true,
      types: ["node"],
    },
    exclude: ["node_modules", "cdk.out"],
  },
  null,
  2,
)}\n`;

export const CDK_JSON = `${JSON.stringify({ app: "npx tsc && npx tsx bin/consumer.ts" }, null, 2)}\n`;

export const CDK_BIN = `#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib/core';
import { ConsumerStack } from '../lib/consumer-stack';

const app = new cdk.App();
new ConsumerStack(app, 'ConsumerStack', {});
`;

/**
 * Both constructs with their default probe image (a Docker asset from the installed package), on an ARM64
 * service and an X86_64 task, and the cdk-nag pack over them.
 */
export const CDK_STACK = `import * as cdk from 'aws-cdk-lib/core';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FireLensChecks, FireLensDatadogFargateService, LogRouterPreflight } from 'firelens-preflight/cdk';

export class ConsumerStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    new FireLensDatadogFargateService(this, 'Backend', {
      app: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), ddSource: 'nginx' },
      datadogApiKeySecret: Secret.fromSecretNameV2(this, 'DatadogApiKey', 'datadog/api-key'),
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });

    const task = new ecs.FargateTaskDefinition(this, 'Worker', { cpu: 256, memoryLimitMiB: 512 });
    task.addFirelensLogRouter('log-router', {
      containerName: 'log-router',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1'),
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    });
    task.addContainer('worker', {
      containerName: 'worker',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      logging: ecs.LogDrivers.firelens({ options: { Name: 'datadog', Host: 'http-intake.logs.datadoghq.com' } }),
    });
    new LogRouterPreflight(this, 'WorkerGate', { taskDefinition: task });

    cdk.Validations.of(scope).addPlugins(new FireLensChecks(scope));
  }
}
`;

/** Run in the CDK app with cdk-nag hidden: the constructs still import and synthesize; the pack says what to install. */
export const CDK_WITHOUT_NAG = `"use strict";
const cdk = require("aws-cdk-lib");
const ecs = require("aws-cdk-lib/aws-ecs");
const { FireLensChecks, LogRouterPreflight } = require("firelens-preflight/cdk");
const app = new cdk.App({ outdir: "cdk.out.no-nag" });
const stack = new cdk.Stack(app, "NoNag");
const task = new ecs.FargateTaskDefinition(stack, "Task", { cpu: 256, memoryLimitMiB: 512 });
task.addFirelensLogRouter("log-router", {
  image: ecs.ContainerImage.fromRegistry("public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1"),
  firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
});
task.addContainer("app", {
  image: ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27"),
  logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
});
new LogRouterPreflight(stack, "Gate", { taskDefinition: task });
const template = app.synth().getStackByName("NoNag").template;
const names = Object.values(template.Resources)
  .filter((r) => r.Type === "AWS::ECS::TaskDefinition")
  .flatMap((r) => r.Properties.ContainerDefinitions.map((c) => c.Name));
let packError = "";
try {
  new FireLensChecks(app);
} catch (error) {
  packError = error.message;
}
console.log(JSON.stringify({ names, packError }));
`;

/**
 * Every subpath but the CDK one (whose declarations pull in all of aws-cdk-lib's), compiled with
 * `skipLibCheck: false`: our own declarations must type-check as shipped, CommonJS copies included.
 */
export const STRICT_APP = `import type * as root from "firelens-preflight";
import type * as diagnose from "firelens-preflight/diagnose";
import type * as fix from "firelens-preflight/fix";
import type * as plan from "firelens-preflight/plan";
import type * as probe from "firelens-preflight/probe";
import type * as rules from "firelens-preflight/rules";
import type * as simulate from "firelens-preflight/simulate";
import type * as taskdef from "firelens-preflight/taskdef";
export type All = [typeof root, typeof diagnose, typeof fix, typeof plan, typeof probe, typeof rules, typeof simulate, typeof taskdef];
`;

export function strictTsconfig(module: "node16" | "nodenext"): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module,
        moduleResolution: module,
        strict: true,
        skipLibCheck: false,
        types: ["node"],
        noEmit: true,
      },
      include: ["strict.ts"],
    },
    null,
    2,
  )}\n`;
}
