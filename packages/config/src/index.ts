export { loadConfig, ConfigError, type Config, type QualityThresholds } from './load-config.ts';
export { envSchema, type Env } from './env-schema.ts';
