package dev.stepguard.app.http;

import dev.stepguard.core.model.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * What the server counts, in Prometheus text format: runs by status, their durations, the queue
 * depth, the runs in flight and the requests refused because the queue was full.
 */
final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter rejections;

  Metrics(RunSlots slots) {
    Gauge.builder("stepguard.queue.depth", slots, RunSlots::queued)
        .description("Runs waiting for a slot")
        .register(registry);
    Gauge.builder("stepguard.runs.in.flight", slots, RunSlots::running)
        .description("Runs in a slot now")
        .register(registry);
    rejections =
        Counter.builder("stepguard.rejections")
            .description("Requests refused because every slot was busy and the queue full")
            .register(registry);
  }

  /** Counts a run that ended with {@code status} after {@code duration}. */
  void ended(Status status, Duration duration) {
    Counter.builder("stepguard.runs")
        .description("Runs by how they ended")
        .tag("status", status.name())
        .register(registry)
        .increment();
    Timer.builder("stepguard.run.duration")
        .description("How long runs took, from start to record")
        .publishPercentileHistogram()
        .register(registry)
        .record(duration);
    RetryAfter.ended(duration);
  }

  void rejected() {
    rejections.increment();
  }

  String scrape() {
    return registry.scrape();
  }
}
