import diagnosticsChannel from 'node:diagnostics_channel';
import {
  type Attributes,
  context,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import {
  type AcquireMessage,
  diagnosticsChannels,
  type ExtendMessage,
  type LateOutcomeMessage,
  type LockLostMessage,
  type NodeOutcome,
  type ReleaseMessage,
} from '@redlock/core';
import { RedlockAttributes as A } from './attributes.js';
import { createInstruments } from './instruments.js';

/** Options of {@link instrumentRedlock}. */
export interface RedlockInstrumentationOptions {
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`). */
  readonly tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global meter provider (`metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider;
  /**
   * Put the resource names on metrics as `redlock.resources`. Off by
   * default: resource names are often per entity (`orders:42`), and every
   * distinct value is a new time series in your metrics backend.
   */
  readonly resourceNamesInMetrics?: boolean;
  /** Put the resource names on spans as `redlock.resources`. Default `true`. */
  readonly resourceNamesInSpans?: boolean;
}

/** What {@link instrumentRedlock} returns: stop recording with `disable()`. */
export interface RedlockInstrumentation {
  /** Unsubscribe from Redlock's channels; operations in flight are not recorded. */
  disable(): void;
}

const SCOPE = '@redlock/opentelemetry';

/** The handlers a tracing channel calls; unused ones are no-ops. */
interface TracingHandlers {
  start(message: unknown): void;
  end(message: unknown): void;
  asyncStart(message: unknown): void;
  asyncEnd(message: unknown): void;
  error(message: unknown): void;
}

const ignore = (): void => undefined;

/**
 * Turns Redlock's diagnostics channels (`redlock:acquire`, `redlock:extend`,
 * `redlock:release`, `redlock:lock-lost`, `redlock:late-outcome`) into OpenTelemetry spans and
 * metrics. Every `Redlock` of the process is covered, whoever created it.
 *
 * ```ts
 * import { instrumentRedlock } from '@redlock/opentelemetry';
 * const instrumentation = instrumentRedlock(); // global tracer and meter providers
 * // ... on shutdown:
 * instrumentation.disable();
 * ```
 *
 * Spans `redlock.acquire`, `redlock.extend` and `redlock.release` are
 * children of the context active when the call was made, with the attempts
 * and outcome as attributes. The metrics are listed in docs/observability.md.
 */
export function instrumentRedlock(
  options: RedlockInstrumentationOptions = {},
): RedlockInstrumentation {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const instruments = createInstruments(meter);
  const resourcesOnMetrics = options.resourceNamesInMetrics === true;
  const resourcesOnSpans = options.resourceNamesInSpans !== false;
  const spans = new WeakMap<object, { span: Span; startedAt: number }>();

  const metricAttributes = (resources: readonly string[], attributes: Attributes): Attributes =>
    resourcesOnMetrics ? { ...attributes, [A.RESOURCES]: resources.join(',') } : attributes;

  const begin = (name: string, message: object, attributes: Attributes): void => {
    const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, context.active());
    spans.set(message, { span, startedAt: performance.now() });
  };
  /** Ends the span of `message`; resolves with the seconds since its start. */
  const finish = (message: object, failure: unknown, attributes: Attributes): number => {
    const started = spans.get(message);
    if (!started) return Number.NaN;
    spans.delete(message);
    const { span } = started;
    span.setAttributes(attributes);
    if (failure !== undefined) {
      span.recordException(failure instanceof Error ? failure : String(failure));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: failure instanceof Error ? failure.message : String(failure),
      });
    }
    span.end();
    return (performance.now() - started.startedAt) / 1000;
  };
  const countNodeFailures = (
    operation: string,
    rounds: readonly ({ readonly outcomes: readonly NodeOutcome[] } | undefined)[],
  ): void => {
    for (const round of rounds) {
      for (const outcome of round?.outcomes ?? []) {
        if (outcome.status !== 'error' && outcome.status !== 'timeout') continue;
        instruments.nodeFailures.add(1, {
          [A.NODE]: outcome.node,
          [A.OPERATION]: operation,
          [A.FAILURE]: outcome.status,
        });
      }
    }
  };

  const acquire: TracingHandlers = {
    start(raw) {
      const message = raw as AcquireMessage;
      begin('redlock.acquire', message, {
        [A.OPERATION]: message.operation,
        [A.TTL_MS]: message.ttlMs,
        ...(resourcesOnSpans ? { [A.RESOURCES]: [...message.resources] } : {}),
      });
    },
    end: ignore,
    asyncStart: ignore,
    error: ignore,
    asyncEnd(raw) {
      const message = raw as AcquireMessage;
      const outcome = message.outcome ?? 'failed';
      // Contention is an answer of tryAcquire, not an error of the span.
      const failure =
        outcome === 'acquired' || outcome === 'contention' ? undefined : message.error;
      const seconds = finish(message, failure, {
        [A.OUTCOME]: outcome,
        [A.ATTEMPTS]: message.attempts,
        [A.WAIT_MS]: message.waitedMs,
        [A.CONTENDED]: message.contended,
      });
      const attributes = metricAttributes(message.resources, {
        [A.OPERATION]: message.operation,
        [A.OUTCOME]: outcome,
      });
      if (!Number.isNaN(seconds)) instruments.acquireDuration.record(seconds, attributes);
      instruments.acquireWaitTime.record(message.waitedMs / 1000, attributes);
      instruments.acquireAttempts.record(message.attempts, attributes);
      if (message.contended) instruments.acquireContended.add(1, attributes);
      countNodeFailures('acquire', message.rounds);
    },
  };

  const extend: TracingHandlers = {
    start(raw) {
      const message = raw as ExtendMessage;
      begin('redlock.extend', message, {
        [A.TTL_MS]: message.ttlMs,
        ...(resourcesOnSpans ? { [A.RESOURCES]: [...message.resources] } : {}),
      });
    },
    end: ignore,
    asyncStart: ignore,
    error: ignore,
    asyncEnd(raw) {
      const message = raw as ExtendMessage;
      const outcome = message.outcome ?? 'lost';
      const seconds = finish(message, outcome === 'lost' ? message.error : undefined, {
        [A.OUTCOME]: outcome,
      });
      const attributes = metricAttributes(message.resources, { [A.OUTCOME]: outcome });
      if (!Number.isNaN(seconds)) instruments.extendDuration.record(seconds, attributes);
      countNodeFailures('extend', [message.round]);
    },
  };

  const release: TracingHandlers = {
    start(raw) {
      const message = raw as ReleaseMessage;
      begin(
        'redlock.release',
        message,
        resourcesOnSpans ? { [A.RESOURCES]: [...message.resources] } : {},
      );
    },
    end: ignore,
    asyncStart: ignore,
    error: ignore,
    asyncEnd(raw) {
      const message = raw as ReleaseMessage;
      const seconds = finish(message, message.error, {
        [A.OUTCOME]: 'released',
        [A.RELEASED_NODES]: message.report?.releasedNodes ?? 0,
      });
      const attributes = metricAttributes(message.resources, { [A.OUTCOME]: 'released' });
      if (!Number.isNaN(seconds)) instruments.releaseDuration.record(seconds, attributes);
      countNodeFailures('release', [message.report]);
    },
  };

  const onLockLost = (raw: unknown): void => {
    const message = raw as LockLostMessage;
    instruments.locksLost.add(1, metricAttributes(message.resources, {}));
  };

  // A node that failed after its round was decided is `pending` in the
  // round's message; its failure arrives here.
  const onLateOutcome = (raw: unknown): void => {
    const message = raw as LateOutcomeMessage;
    countNodeFailures(message.operation, [{ outcomes: [message.outcome] }]);
  };

  const acquireChannel = diagnosticsChannel.tracingChannel(diagnosticsChannels.acquire);
  const extendChannel = diagnosticsChannel.tracingChannel(diagnosticsChannels.extend);
  const releaseChannel = diagnosticsChannel.tracingChannel(diagnosticsChannels.release);
  acquireChannel.subscribe(acquire);
  extendChannel.subscribe(extend);
  releaseChannel.subscribe(release);
  diagnosticsChannel.subscribe(diagnosticsChannels.lockLost, onLockLost);
  diagnosticsChannel.subscribe(diagnosticsChannels.lateOutcome, onLateOutcome);

  let enabled = true;
  return {
    disable() {
      if (!enabled) return;
      enabled = false;
      acquireChannel.unsubscribe(acquire);
      extendChannel.unsubscribe(extend);
      releaseChannel.unsubscribe(release);
      diagnosticsChannel.unsubscribe(diagnosticsChannels.lockLost, onLockLost);
      diagnosticsChannel.unsubscribe(diagnosticsChannels.lateOutcome, onLateOutcome);
    },
  };
}
