import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

describe('operations settings', () => {
  it('METRICS_PORT defaults to 9464, takes 0 (any free port) and refuses what is not a port', () => {
    expect(loadConfig({}, []).metricsPort).toBe(9464);
    expect(loadConfig({ METRICS_PORT: '0' }, []).metricsPort).toBe(0);
    expect(() => loadConfig({ METRICS_PORT: '70000' }, [])).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_PORT: 'http' }, [])).toThrow(ConfigError);
  });

  it('ADMIN_API_KEYS are kept apart from API_KEYS; unset means none', () => {
    const c = loadConfig({ API_KEYS: 'user-1', ADMIN_API_KEYS: ' ops-1 , ops-2,' }, []);
    expect(c.apiKeys).toEqual(['user-1']);
    expect(c.adminApiKeys).toEqual(['ops-1', 'ops-2']);
    expect(loadConfig({}, []).adminApiKeys).toEqual([]);
  });

  it('FAILPOINTS (crash tests only) is empty by default and refuses a name it does not know', () => {
    expect(loadConfig({}, []).failpoints).toEqual([]);
    expect(loadConfig({ FAILPOINTS: ' migration-commit-fenced ,' }, []).failpoints).toEqual(['migration-commit-fenced']);
    expect(() => loadConfig({ FAILPOINTS: 'migration-commit' }, [])).toThrow(/unknown failpoint "migration-commit"; known: migration-commit-fenced/);
  });

  it('VECTOR_QUANTIZATION defaults to int8 and refuses what it does not know', () => {
    expect(loadConfig({}, []).vectorIndex.quantization).toBe('int8');
    expect(loadConfig({ VECTOR_QUANTIZATION: 'none' }, []).vectorIndex.quantization).toBe('none');
    expect(() => loadConfig({ VECTOR_QUANTIZATION: 'int4' }, [])).toThrow(/VECTOR_QUANTIZATION/);
  });

  it('ROLE=worker needs REDIS_URL, like ROLE=gateway', () => {
    expect(() => loadConfig({ ROLE: 'worker' }, [])).toThrow(/ROLE=worker .* needs REDIS_URL/);
    expect(loadConfig({ ROLE: 'worker', REDIS_URL: 'redis://127.0.0.1:6379' }, []).role).toBe('worker');
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, ['--role', 'worker']).role).toBe('worker');
  });

  it('PIPELINE_INFERENCE_THREAD=auto gives each pipeline thread an inference thread only with two cores per pipeline thread', () => {
    const pipeline = (env: Record<string, string>) => loadConfig(env, []).pipeline.inferenceThread;
    expect(pipeline({})).toBe(availableParallelism() >= 2);
    expect(pipeline({ PIPELINE_THREADS: '64' })).toBe(availableParallelism() >= 128);
    expect(pipeline({ PIPELINE_THREADS: '64', PIPELINE_INFERENCE_THREAD: 'true' })).toBe(true);
    expect(pipeline({ PIPELINE_INFERENCE_THREAD: 'false' })).toBe(false);
    expect(() => loadConfig({ PIPELINE_INFERENCE_THREAD: 'sometimes' }, [])).toThrow(/PIPELINE_INFERENCE_THREAD/);
  });
});
