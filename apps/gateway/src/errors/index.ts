export { errorResponder, notFoundResponder } from './error-response.ts';
export { validationHook } from './validation-hook.ts';
