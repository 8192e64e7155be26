/** `facerec`: parses the command line, runs one command, exits with a code listed in --help. */
import { FacerecApiError, FacerecUnreachableError } from '@facerec/client';
import { CliError, EXIT, type ExitCode } from './exit-codes.ts';
import { buildProgram } from './program.ts';

const json = process.argv.includes('--json');
const fail = (code: ExitCode, error: Record<string, unknown>, text: string): never => {
  process.stderr.write(json ? `${JSON.stringify({ error })}\n` : `facerec: ${text}\n`);
  process.exit(code);
};

// The first Ctrl-C lets the running command stop cleanly (enroll writes its report); a second one exits now.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
  interrupt.abort();
});

let exitCode: ExitCode = EXIT.ok;
try {
  await buildProgram(interrupt.signal, (code) => (exitCode = code)).parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError) fail(err.exitCode, { code: 'usage', message: err.message }, err.message);
  if (err instanceof FacerecUnreachableError) fail(EXIT.unreachable, { code: 'unreachable', message: err.message }, err.message);
  if (err instanceof FacerecApiError) {
    fail(EXIT.service, { status: err.status, code: err.code, message: err.message, details: err.details }, `${err.code} (${err.status}): ${err.message}`);
  }
  if ((err as Error)?.name === 'AbortError' && interrupt.signal.aborted) fail(EXIT.interrupted, { code: 'interrupted', message: 'interrupted' }, 'interrupted');
  fail(EXIT.usage, { code: 'unexpected', message: String((err as Error)?.message ?? err) }, `unexpected error: ${(err as Error)?.stack ?? err}`);
}
process.exit(exitCode);
