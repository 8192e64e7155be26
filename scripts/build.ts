/**
 * `npm run build`: the production build in dist/, run with plain `node` and production dependencies only.
 *
 * esbuild bundles each entry point with our own workspace packages (`@facerec/*`, TypeScript sources)
 * compiled into it; every other package stays an `import` of node_modules, so native modules (onnxruntime,
 * sharp, usearch, msgpackr) and packages that read their own files at run time (BullMQ's Lua scripts)
 * load exactly as they do in development. tsc alone could not do this: our packages export
 * `./src/index.ts`, which Node refuses to load from node_modules, so emitted JavaScript would still import
 * TypeScript.
 *
 * Every entry lands in dist/ itself. Code that finds a file relative to its own module follows from that:
 * the face pipeline's worker threads load dist/pipeline-worker.js and dist/inference-worker.js beside the bundle
 * that started them,
 * packages/config finds the project root (models/, data/, package.json) by walking up from dist/, and the web
 * console's static files (`npm run build:console`, which `npm run build` runs first and a development install's
 * postinstall runs too) are copied to dist/console/. `npm run build:bundles` is this script alone.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = join(root, 'dist');

/** Output name → source. Each is a process or thread entry point. */
const entryPoints = {
  gateway: 'apps/gateway/src/main.ts',
  worker: 'apps/worker/src/main.ts',
  'pipeline-worker': 'packages/face/src/thread/pipeline-worker.ts',
  'inference-worker': 'packages/face/src/thread/inference-worker.ts',
  'models-prepare': 'models/prepare.ts',
};

const OWN_SCOPE = '@facerec/';

/** Bare imports (packages, `node:` modules) stay imports, except our own packages, which are compiled in. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith(OWN_SCOPE) ? undefined : { path: args.path, external: true }));
  },
};

interface PackageJson {
  workspaces?: string[];
  dependencies?: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

/** Production dependencies declared anywhere in the workspace: what `npm ci --omit=dev` installs. */
function productionDependencies(): Set<string> {
  const rootPkg = readJson(join(root, 'package.json'));
  const names = new Set(Object.keys(rootPkg.dependencies ?? {}));
  for (const pattern of rootPkg.workspaces ?? []) {
    const parent = join(root, pattern.replace(/\/\*$/, ''));
    for (const dir of readdirSync(parent)) {
      const manifest = join(parent, dir, 'package.json');
      if (existsSync(manifest)) for (const name of Object.keys(readJson(manifest).dependencies ?? {})) names.add(name);
    }
  }
  return names;
}

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * Every package a bundle imports must be one that a production install provides. A development install
 * also has the devDependencies, so an import of one of them would only fail in the image.
 */
function checkImports(metafile: Metafile): string[] {
  const builtins = new Set(builtinModules);
  const provided = productionDependencies();
  const missing = new Set<string>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || builtins.has(imp.path)) continue;
      const name = packageName(imp.path);
      if (name.startsWith(OWN_SCOPE) || !provided.has(name)) missing.add(`${relative(root, file)} imports ${imp.path}`);
    }
  }
  return [...missing];
}

async function buildDist(): Promise<Metafile> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Class names are data here: FaceRecError sets `name = new.target.name`, and errors crossing a thread or
    // the queue are rebuilt by that name. Bundling may rename a class whose name another module also uses.
    keepNames: true,
    sourcemap: 'linked',
    plugins: [externalPackages],
    metafile: true,
    logLevel: 'warning',
  });
  const problems = checkImports(result.metafile);
  if (problems.length > 0) {
    throw new Error(`These imports are not production dependencies of any workspace package, so the image would not have them:\n  ${problems.join('\n  ')}`);
  }
  return result.metafile;
}

/** The web console's static files, built by Vite into apps/console/dist (`npm run build:console`). */
function copyConsole(): void {
  const built = join(root, 'apps/console/dist');
  if (!existsSync(join(built, 'index.html'))) throw new Error(`${relative(root, built)}/index.html is missing: run \`npm run build:console\` first`);
  cpSync(built, join(outdir, 'console'), { recursive: true });
}

const metafile = await buildDist();
copyConsole();
for (const [file, output] of Object.entries(metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`${relative(root, file).padEnd(24)} ${(output.bytes / 1024).toFixed(0).padStart(5)} KiB`);
}
