export { buildProgram } from './program.ts';
export { EXIT, EXIT_CODES_HELP, CliError, type ExitCode } from './exit-codes.ts';
export { resolveConfig, DEFAULT_URL, type CliConfig } from './config.ts';
