export { createApp } from './app.ts';
export { buildGatewayDeps } from './wiring.ts';
export { startServer, type RunningServer } from './server.ts';
export { createLogger, type Logger } from './logger.ts';
export type { GatewayDeps } from './gateway-deps.ts';
export type { FaceExtractor, Extraction, ExtractedFace } from './services/face-extractor.ts';
export { createLocalFaceExtractor } from './services/local-face-extractor.ts';
export { FeatureMatcher } from './services/feature-matcher.ts';
