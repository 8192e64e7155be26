export { createLogger, type Logger, type LogLevel } from './logger.ts';
export { logContext, withLogContext } from './log-context.ts';
