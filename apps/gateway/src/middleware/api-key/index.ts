export { apiKeyAuth, OPEN_TENANT } from './api-key.ts';
export { keyMatcher } from './key-digests.ts';
