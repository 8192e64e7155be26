export { CollectionTransfer } from './collection-transfer.ts';
export { TRANSFER_FORMAT, TRANSFER_MEDIA_TYPE } from './transfer-format.ts';
export type { ImportRequest, ImportResult } from './import-collection.ts';
