import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { mountCompareFeatures } from './compare-features.ts';
import { mountCompareImageFeature } from './compare-image-feature.ts';
import { mountExtractFeature } from './extract-feature.ts';

/** The three endpoints of the original spec (shared/spec/API_USAGE.md), field names unchanged. */
export function mountSpecRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  mountExtractFeature(app, deps);
  mountCompareFeatures(app, deps);
  mountCompareImageFeature(app, deps);
}
