import { Stack, type StackProps, Validations } from "aws-cdk-lib";
import { type ContainerImage, ContainerImage as Image } from "aws-cdk-lib/aws-ecs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { FireLensDatadogFargateService } from "../../src/cdk/index.js";

export interface SeedStackProps extends StackProps {
  /** A published probe image. @default - built from the package's Dockerfile at deploy time */
  readonly probeImage?: ContainerImage;
}

/** The seed's system: ALB → Fargate app logging to Datadog through FireLens, held back by the preflight gate. */
export class SeedStack extends Stack {
  readonly system: FireLensDatadogFargateService;

  constructor(scope: Construct, id: string, props: SeedStackProps = {}) {
    super(scope, id, props);
    this.system = new FireLensDatadogFargateService(this, "Backend", {
      app: { image: Image.fromRegistry("public.ecr.aws/nginx/nginx:1.27"), ddSource: "nginx" },
      // By name, so synth needs no lookup; only the task's execution role may read it.
      datadogApiKeySecret: Secret.fromSecretNameV2(this, "DatadogApiKey", "datadog/api-key"),
      desiredCount: 2,
      preflight: { image: props.probeImage },
    });
    for (const [id, reason] of Object.entries(NAG_ACKNOWLEDGEMENTS)) {
      Validations.of(this).acknowledge({ id, reason });
    }
    const executionRole = this.system.taskDefinition.executionRole;
    if (executionRole !== undefined) {
      Validations.of(executionRole).acknowledge({
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "ecr:GetAuthorizationToken (to pull the probe image asset) only accepts Resource '*'; every other grant is scoped.",
      });
    }
  }
}

/** AwsSolutions findings this example accepts, each with why. */
export const NAG_ACKNOWLEDGEMENTS: Readonly<Record<string, string>> = {
  "AwsSolutions-ECS2":
    "Only non-secret settings are plain environment (DD_SITE, ECS_FARGATE, FIRELENS_PREFLIGHT_*); the Datadog API key comes from Secrets Manager.",
  "AwsSolutions-ELB2":
    "Example stack: ALB access logs need an S3 bucket and policy that belong to the account's logging setup, not to this example.",
  "AwsSolutions-EC23":
    "Public web service: the internet-facing ALB must accept 0.0.0.0/0 on its listener port.",
  "AwsSolutions-VPC7":
    "Example VPC created for the demo; production passes its own vpc or cluster, whose flow logs are managed centrally.",
};
