export { bodyLimit, SMALL_JSON_BODY_BYTES, streamingBodyLimit, vectorBodyLimit } from './body-limit.ts';
export { settleUnreadBody } from './unread-body.ts';
