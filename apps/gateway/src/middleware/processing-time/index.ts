export { processingTime, elapsedSeconds } from './processing-time.ts';
