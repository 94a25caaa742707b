export type { DatadogOutputConfig } from "./datadog.js";
export { datadogRecord, isProviderEcsTrigger } from "./datadog.js";
export type { FluentEvent, ForwardMessage } from "./forward.js";
export { encodeAck, parseForwardMessage } from "./forward.js";
export type { FakeIntake, IntakeMode, IntakeRequest } from "./intake.js";
export { redactIntakeUrl, startFakeIntake, unusedPort } from "./intake.js";
export type { RouterVersion } from "./personality.js";
export { buildInfoText, personality, ROUTER_VERSIONS } from "./personality.js";
export type {
  CrashSignal,
  CrashStyle,
  OutputCounters,
  RouterExit,
  RouterFaults,
  RouterMetrics,
  TestRouter,
  TestRouterOptions,
} from "./router.js";
export { DEFAULT_DYING_MS, startTestRouter } from "./router.js";
