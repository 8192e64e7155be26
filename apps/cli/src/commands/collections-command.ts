import { expectData } from '@facerec/client';
import { CliError, EXIT, type ExitCode } from '../exit-codes.ts';
import { fixed, table } from '../output/printer.ts';
import type { CommandContext } from './context.ts';

export async function runCollectionsList(ctx: CommandContext): Promise<ExitCode> {
  const { collections } = expectData(await ctx.client.http.GET('/v1/collections'));
  ctx.printer.record({ collections });
  if (collections.length === 0) ctx.printer.line('no collections (create one with `facerec collections create <name>`)');
  else
    ctx.printer.line(
      table([
        ['NAME', 'SUBJECTS', 'FACES', 'THRESHOLD', 'TARGET FPIR', 'EMBEDDER', 'CREATED'],
        ...collections.map((c) => [c.name, String(c.subject_count ?? '-'), String(c.face_count ?? '-'), fixed(c.threshold), c.target_fpir === null ? 'fixed' : String(c.target_fpir), c.embedder, c.created_at]),
      ]),
    );
  return EXIT.ok;
}

export interface CreateOptions {
  targetFpir?: number;
  threshold?: number;
  targetFar?: '1e-2' | '1e-3' | '1e-4';
}

export async function runCollectionsCreate(name: string, opts: CreateOptions, ctx: CommandContext): Promise<ExitCode> {
  const created = expectData(
    await ctx.client.http.POST('/v1/collections', {
      body: {
        name,
        ...(opts.targetFpir !== undefined ? { target_fpir: opts.targetFpir } : {}),
        ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
        ...(opts.targetFar !== undefined ? { target_far: opts.targetFar } : {}),
      },
    }),
  );
  ctx.printer.record(created);
  ctx.printer.line(`created ${created.name} (${created.embedder}, ${created.dimension}-d): ${created.decision.explanation}`);
  return EXIT.ok;
}

export async function runCollectionsRemove(name: string, opts: { yes?: boolean }, ctx: CommandContext): Promise<ExitCode> {
  if (!opts.yes) throw new CliError(EXIT.usage, `deleting "${name}" removes every subject and face in it; add --yes to confirm`);
  const answer = expectData(await ctx.client.http.DELETE('/v1/collections/{name}', { params: { path: { name } } }));
  ctx.printer.record({ name, ...answer });
  ctx.printer.line(`deleted ${name}`);
  return EXIT.ok;
}
