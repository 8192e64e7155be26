export { createApp } from './app.ts';
export { buildGatewayDeps, type StartLocalWorker, type WiringOptions } from './wiring.ts';
export { startServer, type RunningServer } from './server.ts';
export { createLogger, type Logger } from '@facerec/logger';
export type { GatewayDeps } from './gateway-deps.ts';
export type { FaceExtractor, Extraction, ExtractedFace } from './services/face-extractor.ts';
export { FeatureMatcher } from './services/feature-matcher.ts';
