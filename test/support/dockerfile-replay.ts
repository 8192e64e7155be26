/**
 * Replays a Dockerfile's build without a container engine (none runs on the CI machines): each stage becomes
 * a folder standing for its WORKDIR, COPY copies what a build would copy (the context filtered by
 * .dockerignore with Docker's own matching rules, or another stage's folder), and RUN runs its shell command
 * there with the stage's ENV and, of this process's environment, only PATH, HOME and how this machine reaches
 * the npm registry (proxy and CA settings, which a real build gets from the engine's configuration).
 *
 * It replays only what it can replay faithfully and refuses the rest, so a Dockerfile that grows an
 * instruction this cannot stand in for fails the test instead of being checked half-way:
 * - FROM must be a `node:<major>…` image of this Node's major version: this Node stands in for the base image;
 * - every path the build touches lies under the stage's WORKDIR (RUN lines stay relative to it);
 * - RUN's only mount is npm's cache (`type=cache,target=/root/.npm`), whose counterpart here is this machine's
 *   npm cache under HOME, read offline-first (`prefer-offline`: a cached package document is not asked for
 *   again). It only spares downloads, as in a real build: the lockfile pins every version and its integrity;
 * - COPY's --chown/--chmod and USER are recorded, not applied: files belong to whoever runs the replay.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import createIgnore from '@balena/dockerignore';
import { type Copy, DockerfileParser, type Env, type From, type Instruction, type JSONInstruction, type Run } from 'dockerfile-ast';

export interface ReplayStep {
  stage: string;
  instruction: string;
  ms: number;
}

export interface ReplayedImage {
  /** The final stage's WORKDIR, as a folder: what the image's CMD runs in. */
  root: string;
  workdir: string;
  /** The final stage's ENV: what the image's processes start with. */
  env: Record<string, string>;
  /** Every stage's folder by name, the final one's included. */
  stages: Record<string, string>;
  cmd: string[];
  user: string | undefined;
  exposed: string[];
  steps: ReplayStep[];
}

interface Stage {
  name: string;
  dir: string;
  workdir: string | undefined;
  env: Record<string, string>;
}

/** The one cache mount the replay stands in for: npm's cache of the build's root user. */
const NPM_CACHE_TARGET = '/root/.npm';
const RECORDED_ONLY = new Set(['LABEL', 'EXPOSE', 'USER', 'CMD']);
/** Network settings a RUN may need to reach the registry; without the CA bundle npm retries for minutes. */
const NETWORK_ENV = /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO)_PROXY|(https?|no)_proxy|npm_config_registry|NPM_CONFIG_REGISTRY)$/;

function runEnv(stageEnv: Record<string, string>): Record<string, string> {
  const network = Object.entries(process.env).filter((e): e is [string, string] => NETWORK_ENV.test(e[0]) && e[1] !== undefined);
  return { PATH: process.env.PATH ?? '', HOME: homedir(), ...Object.fromEntries(network), ...stageEnv };
}

class ReplayError extends Error {
  constructor(instruction: Instruction, why: string) {
    super(`${instruction.getKeyword()} ${instruction.getArgumentsContent() ?? ''} (line ${instruction.getRange().start.line + 1}): ${why}`);
  }
}

/** Runs `command` with /bin/sh, as a shell-form RUN does; rejects with the tail of its output on failure. */
function runShell(command: string, cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`RUN ${command} exited with ${code ?? signal}:\n${output.join('').slice(-4000)}`));
    });
  });
}

export async function replayDockerfile(opts: { dockerfile: string; context: string; into: string }): Promise<ReplayedImage> {
  const dockerfile = DockerfileParser.parse(readFileSync(opts.dockerfile, 'utf8'));
  const ignorePath = join(opts.context, '.dockerignore');
  const ignore = createIgnore().add(existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8').split('\n') : []);
  const stages = new Map<string, Stage>();
  const steps: ReplayStep[] = [];
  let stage: Stage | undefined;
  let cmd: string[] = [];
  let user: string | undefined;
  const exposed: string[] = [];

  /** A path inside the stage's WORKDIR, absolute or relative to it, as a path under the stage's folder. */
  const inStage = (s: Stage, path: string, instruction: Instruction): string => {
    if (!s.workdir) throw new ReplayError(instruction, 'no WORKDIR before it; the replay maps only WORKDIR to a folder');
    const inImage = posix.resolve(s.workdir, path);
    const rel = posix.relative(s.workdir, inImage);
    if (rel.startsWith('..')) throw new ReplayError(instruction, `${path} is outside WORKDIR ${s.workdir}`);
    return join(s.dir, ...rel.split('/').filter(Boolean));
  };

  const copy = (instruction: Copy, s: Stage) => {
    const flags = Object.fromEntries(instruction.getFlags().map((f) => [f.getName(), f.getValue()]));
    for (const name of Object.keys(flags)) {
      if (!['from', 'chown', 'chmod'].includes(name)) throw new ReplayError(instruction, `--${name} is not replayed`);
    }
    const args = instruction.getArguments().map((a) => a.getValue());
    const dest = args.pop();
    if (!dest || args.length === 0) throw new ReplayError(instruction, 'needs a source and a destination');
    const intoDir = dest.endsWith('/') || args.length > 1;
    const from = flags['from'] ? stages.get(flags['from']) : undefined;
    if (flags['from'] && !from) throw new ReplayError(instruction, `no earlier stage named ${flags['from']}`);
    for (const source of args) {
      if (/[*?[]/.test(source)) throw new ReplayError(instruction, 'wildcards are not replayed');
      let src: string;
      let filter: ((path: string) => boolean) | undefined;
      if (from) {
        src = inStage(from, source, instruction);
      } else {
        if (isAbsolute(source) || posix.normalize(source).startsWith('..')) throw new ReplayError(instruction, `${source} is outside the context`);
        src = resolve(opts.context, source);
        if (ignore.ignores(relative(opts.context, src).split(sep).join('/'))) throw new ReplayError(instruction, `${source} is excluded by .dockerignore`);
        filter = (path) => {
          const rel = relative(opts.context, path).split(sep).join('/');
          return rel === '' || !ignore.ignores(rel);
        };
      }
      if (!existsSync(src)) throw new ReplayError(instruction, `${source} does not exist`);
      const target = inStage(s, dest, instruction);
      // Docker copies a directory's contents, and a file into a directory destination under its own name.
      const to = statSync(src).isDirectory() ? target : intoDir ? join(target, basename(src)) : target;
      cpSync(src, to, { recursive: true, ...(filter ? { filter } : {}) });
    }
  };

  const run = async (instruction: Run, s: Stage) => {
    let npmCache = false;
    for (const flag of instruction.getFlags()) {
      const options = Object.fromEntries(flag.getOptions().map((o) => [o.getName(), o.getValue()]));
      npmCache = flag.getName() === 'mount' && options['type'] === 'cache' && options['target'] === NPM_CACHE_TARGET;
      if (!npmCache) throw new ReplayError(instruction, `--${flag.getName()}=${flag.getValue() ?? ''} is not replayed`);
    }
    if ((instruction as JSONInstruction).getJSONStrings().length > 0) throw new ReplayError(instruction, 'exec-form RUN is not replayed');
    const command = instruction.getArgumentsContent();
    if (!command || !s.workdir) throw new ReplayError(instruction, 'needs a command and a WORKDIR');
    await runShell(command, s.dir, { ...runEnv(s.env), ...(npmCache ? { npm_config_prefer_offline: 'true' } : {}) });
  };

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const started = performance.now();
    if (keyword === 'FROM') {
      const f = instruction as From;
      const major = /^(\d+)/.exec(f.getImageTag() ?? '')?.[1];
      if (f.getImageName() !== 'node' || major !== process.versions.node.split('.')[0]) {
        throw new ReplayError(instruction, `this Node ${process.versions.node} stands in for the base image only for node:${process.versions.node.split('.')[0]}…`);
      }
      const name = f.getBuildStage() ?? `stage-${stages.size}`;
      stage = { name, dir: join(opts.into, name), workdir: undefined, env: {} };
      stages.set(name, stage);
      mkdirSync(stage.dir, { recursive: true });
      cmd = [];
      user = undefined;
      exposed.length = 0;
    } else if (!stage) {
      throw new ReplayError(instruction, 'comes before FROM');
    } else if (keyword === 'WORKDIR') {
      const dir = instruction.getArgumentsContent() ?? '';
      if (!isAbsolute(dir) || (stage.workdir && stage.workdir !== dir)) throw new ReplayError(instruction, 'one absolute WORKDIR per stage is replayed');
      stage.workdir = dir;
    } else if (keyword === 'ENV') {
      for (const p of (instruction as Env).getProperties()) {
        const value = p.getValue() ?? '';
        if (value.includes('$')) throw new ReplayError(instruction, 'variable expansion is not replayed');
        stage.env[p.getName()] = value;
      }
    } else if (keyword === 'COPY') {
      copy(instruction as Copy, stage);
    } else if (keyword === 'RUN') {
      await run(instruction as Run, stage);
    } else if (RECORDED_ONLY.has(keyword)) {
      if (keyword === 'USER') user = instruction.getArgumentsContent() ?? undefined;
      if (keyword === 'EXPOSE') exposed.push(...instruction.getArguments().map((a) => a.getValue()));
      if (keyword === 'CMD') {
        cmd = (instruction as JSONInstruction).getJSONStrings().map((a) => a.getJSONValue());
        if (cmd.length === 0) throw new ReplayError(instruction, 'only exec-form CMD is replayed');
      }
    } else {
      throw new ReplayError(instruction, 'is not replayed');
    }
    steps.push({ stage: stage.name, instruction: `${keyword} ${instruction.getArgumentsContent() ?? ''}`, ms: performance.now() - started });
  }
  if (!stage?.workdir) throw new Error(`${opts.dockerfile}: no stage with a WORKDIR`);
  const stageDirs = Object.fromEntries([...stages.values()].map((st) => [st.name, st.dir]));
  return { root: stage.dir, workdir: stage.workdir, env: { ...stage.env }, stages: stageDirs, cmd, user, exposed: [...exposed], steps };
}
