/** What `facerec` exits with; listed in --help so scripts can rely on them. */
export const EXIT = {
  ok: 0,
  /** Bad arguments, a missing file, an unreadable folder. */
  usage: 1,
  /** The service answered with an error (4xx/5xx). */
  service: 2,
  /** Some of the work was refused or failed: refused photos in enroll, a failed image among several. */
  partial: 3,
  /** Nothing answered at --url. */
  unreachable: 4,
  /** Stopped by Ctrl-C (SIGINT); enroll can be rerun to resume. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    usage error (bad arguments, unreadable file or folder)
  2    the service answered with an error
  3    partial failure (refused photos in enroll, failed items in a job, some images failed)
  4    the service is unreachable at --url
  130  interrupted (Ctrl-C); rerun enroll with the same arguments to resume`;

/** An error that already knows which exit code it means. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
