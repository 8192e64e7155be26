import { Command, InvalidArgumentError, Option } from 'commander';
import { runCollectionsCreate, runCollectionsList, runCollectionsRemove } from './commands/collections-command.ts';
import { runCompare } from './commands/compare-command.ts';
import { type CommandContext, createContext } from './commands/context.ts';
import { runEnroll } from './commands/enroll/enroll-command.ts';
import { runIdentify } from './commands/identify-command.ts';
import { runJobsWatch } from './commands/jobs-command.ts';
import { DEFAULT_URL, ENV_HELP, type GlobalFlags, resolveConfig } from './config.ts';
import { EXIT_CODES_HELP, type ExitCode } from './exit-codes.ts';

const number = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`expected a number in [${min}, ${max}]`);
  return n;
};
const integer = (min: number, max: number) => (raw: string) => {
  const n = number(min, max)(raw);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}]`);
  return n;
};

/**
 * The `facerec` command tree. Each action resolves the global flags into a config and a typed client,
 * runs, and hands its exit code to `onExit`; errors propagate to main.ts, which maps them to exit codes.
 */
export function buildProgram(signal: AbortSignal, onExit: (code: ExitCode) => void): Command {
  const program = new Command('facerec')
    .description('Command-line client of the facerec service: batch enrollment with resume, 1:N identify, 1:1 compare, jobs and collections.')
    .addOption(new Option('--url <url>', `service URL (env FACEREC_URL, default ${DEFAULT_URL})`))
    .addOption(new Option('--api-key <key>', 'API key sent as a Bearer token (env FACEREC_API_KEY)'))
    .option('--json', 'machine-readable output: one JSON object per line on stdout')
    .addHelpText('after', `\n${ENV_HELP}\n\n${EXIT_CODES_HELP}`)
    .showHelpAfterError('(run with --help for usage)');

  const action =
    <A extends unknown[]>(run: (ctx: CommandContext, ...args: A) => Promise<ExitCode>) =>
    async (...args: [...A, Command]) => {
      const command = args[args.length - 1] as Command;
      const ctx = createContext(resolveConfig(command.optsWithGlobals<GlobalFlags>()), signal);
      onExit(await run(ctx, ...(args.slice(0, -1) as A)));
    };

  program
    .command('enroll')
    .description('enroll <dir>/<subject_id>/*.{jpg,jpeg,png,webp} into a collection, in resumable chunks')
    .argument('<dir>', 'folder of subject folders; each subject folder name is the subject_id')
    .requiredOption('-c, --collection <name>', 'collection to enroll into (create it first)')
    .option('--report <file>', 'where to write every refused photo with its reason (.jsonl or .csv; default ./facerec-enroll-<collection>.refused.jsonl)')
    .addOption(new Option('--report-format <format>', 'report format (default: from the file extension)').choices(['jsonl', 'csv']))
    .option('--manifest <file>', 'JSON of per-photo extras keyed by <subject_id>/<file>: {"alice/3.jpg": {"face_index": 1, "metadata": {...}}}')
    .option('--chunk-size <n>', 'photos per enrollment job', integer(1, 10_000), 100)
    .option('--parallel <n>', 'chunks in flight at once', integer(1, 16), 2)
    .option('--allow-multiple', 'with several faces and none dominant, enroll the most prominent instead of refusing', false)
    .addOption(new Option('--on-conflict <mode>', 'a face matching another subject: refuse it, or enroll anyway').choices(['reject', 'allow']).default('reject'))
    .addHelpText(
      'after',
      `
Each chunk is sent with an Idempotency-Key derived from its files (names, sizes, content hashes) and
options. Ctrl-C stops the run; running the same command again resumes it: finished chunks are answered
with their existing jobs, and faces already enrolled are found again (created:false), never duplicated.
Exit code 3 when any photo was refused.`,
    )
    .action(action((ctx, dir: string, opts: Parameters<typeof runEnroll>[1]) => runEnroll(dir, opts, ctx)));

  program
    .command('identify')
    .description('who is in these images? (1:N against a collection, every face)')
    .argument('<image...>', 'image files')
    .requiredOption('-c, --collection <name>', 'collection to search')
    .option('--top-k <n>', 'candidates per face', integer(1, 100))
    .option('--threshold <t>', 'decide at this similarity instead of the collection\'s threshold', number(-1, 1))
    .option('--target-fpir <rate>', 'decide at this false-positive identification rate instead', number(1e-9, 0.5))
    .action(action((ctx, images: string[], opts: Parameters<typeof runIdentify>[1]) => runIdentify(images, opts, ctx)));

  program
    .command('compare')
    .description('are these two photos the same person? (1:1 on each photo\'s largest face)')
    .argument('<a>', 'first image')
    .argument('<b>', 'second image')
    .option('--threshold <t>', 'decision threshold (default: the service\'s calibrated one)', number(-1, 1))
    .action(action((ctx, a: string, b: string, opts: { threshold?: number }) => runCompare(a, b, opts, ctx)));

  const jobs = program.command('jobs').description('asynchronous batch jobs');
  jobs
    .command('watch')
    .description('show a job\'s progress until it ends (exit 3 when items failed)')
    .argument('<id>', 'job id')
    .action(action((ctx, id: string) => runJobsWatch(id, ctx)));

  const collections = program.command('collections').description('list, create and delete collections');
  collections
    .command('ls')
    .description('list collections with their counts and thresholds')
    .action(action((ctx) => runCollectionsList(ctx)));
  collections
    .command('create')
    .description('create a collection')
    .argument('<name>', 'collection name: a-z, 0-9, _ and -, up to 63 characters')
    .option('--target-fpir <rate>', 'identify keeps this share of never-enrolled people from matching (default 0.01)', number(1e-9, 0.5))
    .option('--threshold <t>', 'a fixed decision threshold instead', number(-1, 1))
    .addOption(new Option('--target-far <far>', 'per-pair false-accept rate verify decides at').choices(['1e-2', '1e-3', '1e-4']))
    .action(action((ctx, name: string, opts: Parameters<typeof runCollectionsCreate>[1]) => runCollectionsCreate(name, opts, ctx)));
  collections
    .command('rm')
    .description('delete a collection and everything in it')
    .argument('<name>', 'collection name')
    .option('--yes', 'confirm the deletion')
    .action(action((ctx, name: string, opts: { yes?: boolean }) => runCollectionsRemove(name, opts, ctx)));

  return program;
}
