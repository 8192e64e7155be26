export { adminKeyAuth } from './admin-key.ts';
