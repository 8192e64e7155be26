import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '@facerec/errors';
import type { Logger } from '@facerec/logger';
import type { BatchItemInput, BatchSummary, JobQueue } from '@facerec/queue';
import type { Failpoints } from '../../failpoints/index.ts';
import { ACTIVE_MIGRATION_STATES, type CollectionRow, type CollectionService, indexName, type MigrationRecord, type MigrationState } from '@facerec/collections';
import { facePages } from './collection-walk.ts';
import { migrationReport } from './migration-report.ts';
import { completeSpace, shadowName, type SpaceDeps } from './shadow-space.ts';

export interface MigrationServiceDeps extends SpaceDeps {
  collections: CollectionService;
  queue: JobQueue;
  logger: Logger;
  /** Crash tests stop the process inside the commit through these; none by default. */
  failpoints?: Failpoints;
}

/** A migration created but never given its job (a crash in between) is given up after this long. */
const UNSTARTED_GRACE_MS = 60_000;
/** How often each gateway looks for migrations to move on: finished jobs, interrupted commits. */
const TICK_MS = 1_000;

const isActive = (s: MigrationState) => ACTIVE_MIGRATION_STATES.includes(s);

/**
 * Moves a collection to another embedder without the original photos (issue: "migrate a collection"):
 *
 * 1. start: a shadow index collection for the next generation, and a `migrate` batch job re-embedding every
 *    stored crop into it. The collection keeps answering from its current space; enrollments and deletes
 *    meanwhile go to both (ShadowWrites, set on the CollectionService).
 * 2. the job ends: a catch-up pass embeds what the job missed, then the report (migrated, failed, self
 *    consistency); state `ready`, committed at once with auto_commit when nothing failed.
 * 3. commit: state `committing`, the collection fenced (face writes answer 503 collection_switching), a
 *    last catch-up under the fence, then one catalog write switches embedder, generation and centroid.
 *    Old vectors stay until that write; the old space is dropped after it.
 * Rollback (before the commit) cancels the job and drops the shadow space; the collection row never changed.
 *
 * Every step is recorded in the catalog before it is taken and every transition is a compare-and-set, so
 * any gateway, or this one after a crash, can pick up where it stopped (tick) and two never both act.
 */
export class MigrationService {
  private readonly deps: MigrationServiceDeps;
  /** Migration ids this process is finishing or committing right now. */
  private readonly busy = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(deps: MigrationServiceDeps) {
    this.deps = deps;
  }

  /** Resumes what a crash interrupted, then keeps migrations moving. */
  startBackground(): void {
    const tick = () => {
      if (this.ticking) return;
      this.ticking = true;
      this.tick()
        .catch((err: unknown) => {
          // An unreachable catalog or queue is logged once by its connection, not once a second here.
          if (!(err instanceof ServiceUnavailableError)) this.deps.logger.error('migration tick failed', { error: (err as Error).message });
        })
        .finally(() => {
          this.ticking = false;
        });
    };
    tick();
    this.timer = setInterval(tick, TICK_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.busy.values()]);
  }

  async start(tenant: string, name: string, req: { embedder: string; autoCommit: boolean; webhookUrl?: string | undefined; requestId?: string | undefined }) {
    const { catalog, collections, index } = this.deps;
    const col = await collections.require(tenant, name);
    if (!col.storeCrops) {
      throw new ConflictError(
        `Collection '${name}' was created with store_crops=false, so it keeps no aligned face crops to re-embed: ` +
          'migrating it needs the original photos. Create a collection (it gets the service\'s embedder) and enroll the original photos into it',
        'crops_required',
        { collection: name, store_crops: false },
      );
    }
    const dimension = collections.servableEmbedders().get(req.embedder);
    if (dimension === undefined) {
      throw new ValidationError(
        `embedder '${req.embedder}' is not a calibrated embedder of this service's manifest; it can migrate to: ${[...collections.servableEmbedders().keys()].join(', ')}`,
        'unknown_embedder',
        { embedder: req.embedder },
      );
    }
    if (req.embedder === col.embedder) throw new ConflictError(`Collection '${name}' already uses ${col.embedder}`, 'same_embedder', { embedder: col.embedder });
    if (col.fence) throw switching(name);
    const earlier = await catalog.listMigrations(col.id);
    const active = earlier.find((m) => isActive(m.state));
    if (active) throw new ConflictError(`Collection '${name}' is already migrating to ${active.to.embedder} (migration ${active.id}, ${active.state})`, 'migration_active', { migration_id: active.id });

    // Never reuse a generation an earlier migration wrote to: a crash may have left its space behind.
    const generation = Math.max(col.generation, ...earlier.map((m) => m.to.generation)) + 1;
    const rec: MigrationRecord = {
      id: randomUUID(),
      collectionId: col.id,
      tenant,
      from: { embedder: col.embedder, dimension: col.dimension, generation: col.generation },
      to: { embedder: req.embedder, dimension, generation },
      state: 'running',
      batchId: null,
      autoCommit: req.autoCommit,
      createdAt: new Date().toISOString(),
      finishedAt: null,
      report: null,
      error: null,
      cleaned: false,
    };
    await index.createCollection(shadowName(rec), { dimension });
    // Not dropped when refused: a concurrent start may have computed the same generation and be using it.
    if (!(await catalog.createMigration(rec))) throw new ConflictError(`Collection '${name}' is already migrating`, 'migration_active');

    // From here enrollments also go to the new space; the snapshot below can only miss what the catch-up finds.
    const items: BatchItemInput<'migrate'>[] = [];
    for await (const page of facePages(catalog, col.id)) {
      for (const face of [...page.values()].flat()) {
        const crop = await catalog.getCrop(col.id, face.id);
        if (crop) items.push({ ref: face.id, image: crop, options: { faceId: face.id, subjectId: face.subjectId } });
      }
    }
    if (items.length === 0) {
      await this.finish(rec);
      return { migration: (await catalog.getMigration(col.id, rec.id))!, job: null };
    }
    let job: BatchSummary;
    try {
      ({ batch: job } = await this.deps.queue.submitBatch({
        type: 'migrate',
        items,
        options: { tenant, collectionId: col.id, migrationId: rec.id },
        webhookUrl: req.webhookUrl,
        requestId: req.requestId,
      }));
    } catch (err) {
      await this.end({ ...rec, state: 'failed', error: `its job was refused: ${(err as Error).message}` }, ['running']);
      throw err;
    }
    const started = { ...rec, batchId: job.id };
    await catalog.updateMigration(started, ['running']);
    return { migration: started, job };
  }

  async list(tenant: string, name: string) {
    const col = await this.deps.collections.require(tenant, name);
    return this.deps.catalog.listMigrations(col.id);
  }

  /** The migration, moved on first when its job has ended (so a webhook receiver that asks at once sees the report). */
  async get(tenant: string, name: string, id: string): Promise<{ migration: MigrationRecord; job: BatchSummary | null }> {
    let rec = await this.require(tenant, name, id);
    if (rec.state === 'running' && rec.batchId) {
      const job = await this.job(rec);
      if (job && job.state !== 'queued' && job.state !== 'running') {
        await this.once(rec.id, () => this.finish(rec));
        rec = await this.require(tenant, name, id);
      }
    }
    return { migration: rec, job: rec.batchId ? await this.job(rec) : null };
  }

  async commit(tenant: string, name: string, id: string): Promise<MigrationRecord> {
    let rec = await this.require(tenant, name, id);
    if (rec.state === 'running') {
      rec = (await this.get(tenant, name, id)).migration;
      if (rec.state === 'running') throw new ConflictError(`Migration ${id} is still re-embedding; commit once it is ready`, 'migration_running', { state: rec.state });
    }
    if (rec.state === 'committed') return rec;
    if (rec.state !== 'ready' && rec.state !== 'committing') {
      throw new ConflictError(`Migration ${id} ended (${rec.state}); start a new one`, 'migration_ended', { state: rec.state });
    }
    if (rec.state === 'ready' && rec.report && rec.report.failed > 0) throw incomplete(rec.report.failed);
    await this.once(rec.id, () => this.switchOver(rec));
    const done = await this.require(tenant, name, id);
    if (done.state !== 'committed') {
      throw new ConflictError(`Migration ${id} could not be committed: ${done.error ?? done.state}`, done.error?.includes('no vector') ? 'migration_incomplete' : 'migration_not_committed', {
        state: done.state,
      });
    }
    return done;
  }

  /** Before the commit only: the job stops, the new space goes, and the collection is as it was. */
  async rollback(tenant: string, name: string, id: string): Promise<MigrationRecord> {
    const rec = await this.require(tenant, name, id);
    if (rec.state === 'committed' || rec.state === 'committing') {
      throw new ConflictError(`Migration ${id} is ${rec.state}: the collection already answers (or is switching) with ${rec.to.embedder}`, 'migration_committed', { state: rec.state });
    }
    if (!isActive(rec.state)) return rec;
    if (!(await this.end({ ...rec, state: 'rolled_back' }, ['running', 'ready']))) {
      // Moved on meanwhile (committed by another request, say): answer with what it is now.
      const now = await this.require(tenant, name, id);
      if (now.state === 'rolled_back') return now;
      throw new ConflictError(`Migration ${id} is ${now.state}`, now.state === 'committed' || now.state === 'committing' ? 'migration_committed' : 'migration_ended', { state: now.state });
    }
    return this.require(tenant, name, id);
  }

  private async require(tenant: string, name: string, id: string): Promise<MigrationRecord> {
    const col = await this.deps.collections.require(tenant, name);
    const rec = await this.deps.catalog.getMigration(col.id, id);
    if (!rec) throw new NotFoundError(`Collection '${name}' has no migration ${id}`, 'migration_not_found');
    return rec;
  }

  private async job(rec: MigrationRecord): Promise<BatchSummary | null> {
    if (!rec.batchId) return null;
    try {
      const { items: _, next_cursor: __, ...summary } = await this.deps.queue.getBatch(rec.batchId, { limit: 1 });
      return summary;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /** One run of `work` per migration in this process; a second caller waits for the first. */
  private once(id: string, work: () => Promise<void>): Promise<void> {
    const running = this.busy.get(id);
    if (running) return running;
    const p = work().finally(() => this.busy.delete(id));
    this.busy.set(id, p);
    return p;
  }

  /** A terminal state without a switch: record it, stop the job, drop the new space. */
  private async end(rec: MigrationRecord, expect: readonly MigrationState[]): Promise<boolean> {
    const ended = { ...rec, finishedAt: new Date().toISOString() };
    if (!(await this.deps.catalog.updateMigration(ended, expect))) return false;
    if (rec.batchId) await this.deps.queue.cancelBatch(rec.batchId).catch(() => undefined);
    await this.deps.index.dropCollection(shadowName(rec));
    await this.deps.catalog.updateMigration({ ...ended, cleaned: true }, [ended.state]);
    return true;
  }

  /** The job ended: cancelled means cancelled; otherwise catch up, report, and commit when asked to. */
  private async finish(rec: MigrationRecord): Promise<void> {
    const job = await this.job(rec);
    if (job?.state === 'cancelled') {
      await this.end({ ...rec, state: 'cancelled' }, ['running']);
      return;
    }
    const col = await this.deps.catalog.getCollectionById(rec.collectionId);
    if (!col) return;
    const space = await completeSpace(this.deps, col, rec);
    const seconds = (Date.now() - Date.parse(rec.createdAt)) / 1000;
    const report = await migrationReport(this.deps, col, rec, space, seconds);
    const ready: MigrationRecord = { ...rec, state: 'ready', finishedAt: new Date().toISOString(), report };
    if (!(await this.deps.catalog.updateMigration(ready, ['running']))) return;
    this.deps.logger.info('migration ready', { migration_id: rec.id, collection_id: rec.collectionId, migrated: report.migrated, failed: report.failed });
    if (rec.autoCommit && report.failed === 0) await this.switchOver(ready);
  }

  /**
   * The commit, resumable at every step: committing is recorded, then the fence, then a final catch-up and
   * the sum of the new vectors under it, then the one write that switches. A failure before that write
   * returns the migration to ready and lifts the fence; the collection never changed.
   */
  private async switchOver(rec: MigrationRecord): Promise<void> {
    const { catalog, collections, index } = this.deps;
    const committing: MigrationRecord = { ...rec, state: 'committing', error: null };
    if (rec.state === 'ready' && !(await catalog.updateMigration(committing, ['ready']))) return;
    const col = await catalog.getCollectionById(rec.collectionId);
    if (!col) return;
    if (col.fence !== rec.id && !(await catalog.setFence(col.id, rec.id, null))) {
      await this.backToReady(committing, `the collection is fenced by ${col.fence ?? 'another writer'}`);
      return;
    }
    const fenced: CollectionRow = { ...col, fence: rec.id };
    // Recorded committing and fenced, not switched: the state a restart must finish.
    this.deps.failpoints?.reach('migration-commit-fenced');
    let space;
    try {
      space = await completeSpace(this.deps, fenced, committing);
    } catch (err) {
      await this.backToReady(committing, (err as Error).message);
      return;
    }
    if (space.failed > 0) {
      await this.backToReady(committing, `${space.failed} faces have no vector in the new space (first: ${space.failures[0]?.code}: ${space.failures[0]?.message})`);
      return;
    }
    const committed: MigrationRecord = { ...committing, state: 'committed', finishedAt: new Date().toISOString() };
    if (!(await catalog.switchEmbedder(col.id, committed, space.centroid))) return;
    collections.invalidate(col.id);
    this.deps.logger.info('migration committed', { migration_id: rec.id, collection_id: col.id, embedder: rec.to.embedder });
    // Requests that read the row just before the switch may still be searching the old space: it goes last.
    await index.dropCollection(indexName(col, rec.from.generation));
    await catalog.updateMigration({ ...committed, cleaned: true }, ['committed']);
  }

  private async backToReady(rec: MigrationRecord, error: string): Promise<void> {
    await this.deps.catalog.updateMigration({ ...rec, state: 'ready', error }, ['committing']);
    await this.deps.catalog.setFence(rec.collectionId, null, rec.id);
    this.deps.logger.warn('migration commit refused', { migration_id: rec.id, error });
  }

  /** Every active migration of every collection, moved on where it can be. */
  private async tick(): Promise<void> {
    for (const rec of await this.deps.catalog.activeMigrations()) {
      if (this.busy.has(rec.id)) continue;
      if (rec.state === 'running') {
        if (!rec.batchId) {
          if (Date.now() - Date.parse(rec.createdAt) > UNSTARTED_GRACE_MS) await this.end({ ...rec, state: 'failed', error: 'interrupted before its job was created' }, ['running']);
          continue;
        }
        const job = await this.job(rec);
        if (!job) await this.end({ ...rec, state: 'failed', error: `its job ${rec.batchId} is gone` }, ['running']);
        else if (job.state !== 'queued' && job.state !== 'running') await this.once(rec.id, () => this.finish(rec));
      } else if (rec.state === 'committing' || (rec.state === 'ready' && rec.autoCommit && rec.report?.failed === 0 && !rec.error)) {
        await this.once(rec.id, () => this.switchOver(rec));
      }
    }
  }
}

function switching(name: string) {
  return new ServiceUnavailableError(`Collection '${name}' is switching to another embedder; retry in a moment`, 'collection_switching');
}

function incomplete(failed: number) {
  return new ConflictError(
    `${failed} faces could not be re-embedded (see the report's failures); delete them or roll the migration back`,
    'migration_incomplete',
    { failed },
  );
}
