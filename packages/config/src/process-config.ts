import { type Config, loadConfig } from './load-config.ts';

/**
 * The one place that reads this process's environment. Entry points (main.ts, benchmarks, the model
 * prepare step) call this; everything below them receives the parsed Config.
 */
export function loadProcessConfig(argv: readonly string[] = process.argv.slice(2)): Config {
  return loadConfig(process.env, argv);
}

/** A copy of this process's environment, for tools that start child processes with a few overrides. */
export function processEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
