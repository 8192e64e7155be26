/**
 * The CLI's whole configuration: flags first, then its own environment variables. This is the only module
 * of the CLI that reads process.env (the CLI is a client of the service, not the service).
 */
import { CliError, EXIT } from './exit-codes.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8000';

export interface GlobalFlags {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

export interface CliConfig {
  url: string;
  apiKey: string | undefined;
  json: boolean;
}

export const ENV_HELP = `Environment:
  FACEREC_URL      service URL when --url is not given (default ${DEFAULT_URL})
  FACEREC_API_KEY  API key when --api-key is not given`;

export function resolveConfig(flags: GlobalFlags, env: Record<string, string | undefined> = process.env): CliConfig {
  const url = flags.url ?? (env.FACEREC_URL || DEFAULT_URL);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(EXIT.usage, `--url must be an http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(EXIT.usage, `--url must be an http(s) URL, got "${url}"`);
  return { url: parsed.href.replace(/\/+$/, ''), apiKey: flags.apiKey ?? (env.FACEREC_API_KEY || undefined), json: Boolean(flags.json) };
}
