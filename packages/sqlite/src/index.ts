export { immediateTransaction } from './immediate-transaction.ts';
