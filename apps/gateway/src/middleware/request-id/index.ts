export { acceptRequestId, REQUEST_ID_HEADER, REQUEST_ID_MAX_LENGTH, requestId } from './request-id.ts';
