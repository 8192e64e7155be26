export { fitGpd, gpdSurvival, gpdQuantileAbove, gpdHazard, type GpdParams } from './gpd.ts';
export { nelderMead } from './nelder-mead.ts';
export { farAt, scoreAtFar, farHazard, fitScoreTail, scoreTailSchema, type ScoreTail } from './score-tail.ts';
export {
  openSetCalibrationSchema,
  galleryEntries,
  perPairFarForFpir,
  fpirFromFar,
  openSetThreshold,
  ambiguityMargin,
  scoreRates,
  type OpenSetCalibration,
  type OpenSetThreshold,
} from './open-set.ts';
export { bootstrapThresholds, type ClusteredTail, type ThresholdInterval } from './cluster-bootstrap.ts';
