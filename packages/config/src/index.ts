export { loadConfig, ConfigError, type Config, type QualityThresholds } from './load-config.ts';
export { envSchema, FAILPOINT_NAMES, type Env, type FailpointName } from './env-schema.ts';
export { loadProcessConfig, processEnv } from './process-config.ts';
export { jobQueueOptions } from './queue-options.ts';
export { projectRoot, projectVersion } from './project-root.ts';
