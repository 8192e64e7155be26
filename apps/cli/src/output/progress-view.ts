import cliProgress from 'cli-progress';
import type { Printer } from './printer.ts';

export interface ProgressState {
  done: number;
  total: number;
  refused: number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The live progress of a batch: a cli-progress bar on stderr (one line redrawn on a terminal, a line every
 * few seconds otherwise), or `{"event":"progress",…}` lines on stdout with --json. The rate counts only
 * the images processed since this view started, so a resumed run's already-done chunks do not inflate it.
 */
export class ProgressView {
  private readonly bar: cliProgress.SingleBar | undefined;
  private readonly startedAt = performance.now();
  private readonly printer: Printer;
  private readonly label: string;
  private baseline: number | undefined;
  private last = '';

  constructor(printer: Printer, label: string, unit = 'images') {
    this.printer = printer;
    this.label = label;
    if (!printer.json) {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${label} {bar} {value}/{total} ${unit} | {rate} ${unit === 'images' ? 'img' : unit}/s | ETA {eta_text} | refused {refused}`,
          barsize: 30,
          hideCursor: true,
          stream: process.stderr,
          noTTYOutput: true,
          notTTYSchedule: 2_000,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  /** `alreadyDone` counts work finished before this run (a resumed enrollment); it is not part of the rate. */
  start(state: ProgressState, alreadyDone = 0) {
    this.baseline = alreadyDone;
    this.bar?.start(state.total, state.done, this.payload(state));
    this.update(state);
  }

  setBaseline(alreadyDone: number) {
    this.baseline = alreadyDone;
  }

  update(state: ProgressState) {
    const payload = this.payload(state);
    if (this.bar) {
      this.bar.setTotal(state.total);
      this.bar.update(state.done, payload);
      return;
    }
    const event = { event: 'progress', label: this.label, done: state.done, total: state.total, refused: state.refused, rate: Number(payload.rate), eta_s: payload.eta_s };
    const key = `${state.done}/${state.total}/${state.refused}`;
    if (key !== this.last) {
      this.last = key;
      this.printer.record(event);
    }
  }

  stop() {
    this.bar?.stop();
  }

  private payload(state: ProgressState) {
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const processed = Math.max(0, state.done - (this.baseline ?? 0));
    const rate = elapsed > 0 ? processed / elapsed : 0;
    const eta = rate > 0 ? (state.total - state.done) / rate : Number.POSITIVE_INFINITY;
    return { rate: rate.toFixed(1), eta_text: clock(eta), eta_s: Number.isFinite(eta) ? Math.round(eta) : null, refused: state.refused };
  }
}
