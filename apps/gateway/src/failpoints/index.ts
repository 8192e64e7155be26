export { createFailpoints, type Failpoints } from './failpoints.ts';
