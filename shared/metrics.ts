import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** CloudWatch metrics in embedded metric format (Powertools Metrics), one EMF line per invocation. */

export const METRICS = {
  codesSent: 'CodesSent',
  codesVerified: 'CodesVerified',
  wrongCodes: 'WrongCodes',
  expiredCodes: 'ExpiredCodes',
  lockouts: 'LockedOut',
  rateLimited: 'RateLimited',
  migrationsSucceeded: 'MigrationsSucceeded',
  migrationsFailed: 'MigrationsFailed',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

export interface MetricsSink {
  /** Counts one event; a dimension (e.g. the channel) emits it as its own EMF line. */
  count(name: MetricName, dimension?: { name: string; value: string }): void;
  /** Emits what was counted in this invocation (nothing when nothing was counted). */
  flush(): void;
}

export function createMetrics(serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-auth-triggers'): MetricsSink {
  const metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CognitoAuthTriggers',
    serviceName,
  });
  let stored = 0;
  return {
    count(name, dimension) {
      if (dimension === undefined) {
        metrics.addMetric(name, MetricUnit.Count, 1);
        stored += 1;
        return;
      }
      const single = metrics.singleMetric();
      single.addDimension(dimension.name, dimension.value);
      single.addMetric(name, MetricUnit.Count, 1);
    },
    flush() {
      if (stored === 0) return;
      stored = 0;
      metrics.publishStoredMetrics();
    },
  };
}

/** For tests and tools that do not care about metrics. */
export const noMetrics: MetricsSink = { count: () => undefined, flush: () => undefined };
