import { createFacerecClient, type FacerecClient } from '@facerec/client';
import type { CliConfig } from '../config.ts';
import { createPrinter, type Printer } from '../output/printer.ts';

/** What every command gets: the resolved config, a typed client for it, and where to print. */
export interface CommandContext {
  config: CliConfig;
  client: FacerecClient;
  printer: Printer;
  /** Aborted by the first Ctrl-C. */
  signal: AbortSignal;
}

export function createContext(config: CliConfig, signal: AbortSignal): CommandContext {
  return { config, client: createFacerecClient({ baseUrl: config.url, apiKey: config.apiKey }), printer: createPrinter(config.json), signal };
}
