/**
 * Whether a known bug's trigger is present in a task. The reading lives in the model
 * (the model's bug-conditions module), where `simulate` reads it too.
 */
export {
  conditionPresence,
  datadogProviderEcs,
  hasCustomConfig,
  healthCheckHitsHealthEndpoint,
  outputName,
  type Presence,
  type ProviderEcsUse,
} from "../model/index.js";
