import autocannon, { type Instance, type Options, type Result } from 'autocannon';

export interface LoadRun {
  result: Result;
  /** Every 2xx response time in milliseconds, in arrival order (autocannon's own histogram keeps whole milliseconds). */
  latenciesMs: number[];
}

const MAX_SAMPLES = 500_000;

/** Runs one autocannon instance to its end; `stop()` on the returned handle ends it early. */
export function runLoad(options: Options): { done: Promise<LoadRun>; stop(): void } {
  const latenciesMs: number[] = [];
  let instance: Instance | undefined;
  const done = new Promise<LoadRun>((resolve, reject) => {
    instance = autocannon({ timeout: 30, ...options }, (error, result) => (error ? reject(error) : resolve({ result, latenciesMs })));
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      if (statusCode >= 200 && statusCode < 300 && latenciesMs.length < MAX_SAMPLES) latenciesMs.push(responseTimeMs);
    });
  });
  return { done, stop: () => instance?.stop() };
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of raw samples, in milliseconds. */
export function summarize(samplesMs: number[]): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : Number.NaN);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    samples: sorted.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}
