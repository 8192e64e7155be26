export { requestMetrics, routeTemplate } from './request-metrics.ts';
