import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  instrumentRedlock,
  type RedlockInstrumentation,
  type RedlockInstrumentationOptions,
} from '../../src/index.js';

/** The SDK with in-memory exporters, and the instrumentation writing to it. */
export interface Telemetry {
  readonly instrumentation: RedlockInstrumentation;
  readonly tracerProvider: BasicTracerProvider;
  spans(): ReadableSpan[];
  /** Data points of metric `name` as collected now (cumulative). */
  points<T = number | Histogram>(name: string): DataPoint<T>[];
  collect(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startTelemetry(
  options: Omit<RedlockInstrumentationOptions, 'tracerProvider' | 'meterProvider'> = {},
): Telemetry {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exported only when the test collects.
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = instrumentRedlock({ ...options, tracerProvider, meterProvider });
  return {
    instrumentation,
    tracerProvider,
    spans: () => spanExporter.getFinishedSpans(),
    async collect() {
      metricExporter.reset();
      await reader.forceFlush();
    },
    points<T>(name: string): DataPoint<T>[] {
      const exported = metricExporter.getMetrics().at(-1);
      for (const scope of exported?.scopeMetrics ?? []) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === name) return metric.dataPoints as DataPoint<T>[];
        }
      }
      return [];
    },
    async shutdown() {
      instrumentation.disable();
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}
