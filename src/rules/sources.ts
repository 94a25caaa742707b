/** Source URLs cited by rule metadata: AWS documentation, the ECS agent, Fluent Bit and aws-for-fluent-bit issues. */
export const SRC = {
  taskDefinitionParameters:
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
  containerDependency:
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html",
  containerDefinition:
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
  healthCheck: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html",
  firelensConfiguration:
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_FirelensConfiguration.html",
  firelensTaskDef: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html",
  circuitBreaker:
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html",
  cfnService: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html",
  agentGraph: "https://github.com/aws/amazon-ecs-agent/blob/master/agent/engine/dependencygraph/graph.go",
  agentTask: "https://github.com/aws/amazon-ecs-agent/blob/master/agent/api/task/task.go",
  agentPr3218: "https://github.com/aws/amazon-ecs-agent/pull/3218",
  boto3Issue2436: "https://github.com/boto/boto3/issues/2436",
  hakoPr99: "https://github.com/eagletmt/hako/pull/99",
  fargateIssue60: "https://github.com/turnerlabs/fargate/issues/60",
  cwlFluentBitIssue20: "https://github.com/aws/amazon-cloudwatch-logs-for-fluent-bit/issues/20",
  firelensHealthCheckExample:
    "https://github.com/aws-samples/amazon-ecs-firelens-examples/blob/mainline/examples/fluent-bit/health-check/README.md",
  awsForFluentBitChangelog: "https://github.com/aws/aws-for-fluent-bit/blob/mainline/CHANGELOG.md",
  awsForFluentBitIssue491: "https://github.com/aws/aws-for-fluent-bit/issues/491",
  awsForFluentBitIssue1181: "https://github.com/aws/aws-for-fluent-bit/issues/1181",
  fluentBitIssue3983: "https://github.com/fluent/fluent-bit/issues/3983",
  fluentBitPr4056: "https://github.com/fluent/fluent-bit/pull/4056",
  fluentBitPr5929: "https://github.com/fluent/fluent-bit/pull/5929",
  fluentBitPr6786: "https://github.com/fluent/fluent-bit/pull/6786",
  /** This project's probe settings (flags, variables, defaults and ranges). */
  probeSettings: "https://github.com/firelens-preflight/firelens-preflight#probe",
  cdkNagSuppressions: "https://github.com/cdklabs/cdk-nag#suppressing-a-rule",
  cfnLintMetadata: "https://github.com/aws-cloudformation/cfn-lint#metadata",
} as const;
