export { loadConfig, ConfigError, type Config, type QualityThresholds } from './load-config.ts';
export { envSchema, type Env } from './env-schema.ts';
export { loadProcessConfig, processEnv } from './process-config.ts';
export { jobQueueOptions } from './queue-options.ts';
export { projectRoot, projectVersion } from './project-root.ts';
