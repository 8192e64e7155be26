export { apiKeyAuth, OPEN_TENANT } from './api-key.ts';
