export { RedisLink, type LinkState, type RedisLinkOptions } from './redis-link.ts';
export { failFastOptions, patientOptions, reconnectDelay } from './connection-options.ts';
export { isConnectionError, describeError } from './connection-errors.ts';
