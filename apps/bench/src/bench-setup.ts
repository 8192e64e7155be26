import { loadProcessConfig, type Config } from '@facerec/config';
import { createFacePipeline, type FacePipeline } from '@facerec/face';
import { loadManifest, type ModelManifest } from '@facerec/models';

export interface BenchSetup {
  config: Config;
  manifest: ModelManifest;
  pipeline: FacePipeline;
}

/** Same configuration path as the service (environment + defaults), with command-line overrides. */
export async function setupPipeline(overrides: Partial<Config['pipeline']> = {}): Promise<BenchSetup> {
  const config = loadProcessConfig([]);
  const manifest = await loadManifest(config.models.manifestPath);
  const pipeline = await createFacePipeline({ ...config.pipeline, ...overrides, manifest, modelsDir: config.models.dir });
  return { config, manifest, pipeline };
}

/** `--name value` / `--flag` arguments plus positionals. */
export function parseCli(
  argv: readonly string[],
  booleans: readonly string[] = [],
): { flags: Map<string, string | true>; positionals: string[] } {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (!booleans.includes(a.slice(2)) && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(a.slice(2), argv[++i]!);
      else flags.set(a.slice(2), true);
    } else positionals.push(a);
  }
  return { flags, positionals };
}
