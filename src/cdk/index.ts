/**
 * `firelens-preflight/cdk`: the preflight gate for AWS CDK apps. Needs the optional peer dependencies
 * `aws-cdk-lib` and `constructs`.
 */
export { FireLensPreflightError } from "./errors.js";
export {
  CDK_NAG_MAJORS,
  FireLensChecks,
  type FireLensChecksConstructor,
  type FireLensChecksProps,
} from "./firelens-checks.js";
export {
  DEFAULT_AGENT_IMAGE,
  DEFAULT_ROUTER_IMAGE,
  type FireLensAppContainerOptions,
  FireLensDatadogFargateService,
  type FireLensDatadogFargateServiceProps,
  MONITORING_CONFIG,
  uptimeHealthCheck,
} from "./firelens-datadog-fargate-service.js";
export {
  type DefaultProbeImageOptions,
  defaultProbeImage,
  LogRouterPreflight,
  type LogRouterPreflightProps,
  type PreflightOptions,
} from "./log-router-preflight.js";
export { PreflightAspect, type PreflightAspectProps } from "./preflight-aspect.js";
