// Problems of Analytics: report ranges and a contended ingest.
import { defineProblems } from './define';

export const ANALYTICS_PROBLEMS = defineProblems({
  'analytics.invalid_range': { status: 400, title: 'Invalid time range' },
  'analytics.ingest_busy': { status: 503, title: 'Ingest busy' },
});
