package io.vigil.processor.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MemoryLimiterProcessorTest {

  private static final long MIB = 1 << 20;
  private final AtomicLong used = new AtomicLong(100 * MIB);
  private final RecordingConsumer<ExportTraceServiceRequest> next = new RecordingConsumer<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private MemoryLimiterProcessor<ExportTraceServiceRequest> limiter;

  private MemoryLimiterProcessor<ExportTraceServiceRequest> limiter(long limitMib, long spikeMib) {
    MemoryLimiterConfig c = new MemoryLimiterConfig();
    c.limitMib = limitMib;
    c.spikeLimitMib = spikeMib;
    c.checkInterval = Duration.ofMillis(100);
    new MemoryLimiterProcessorFactory().validate(c);
    logs.start();
    var log = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("test.memory_limiter");
    log.addAppender(logs);
    limiter = new MemoryLimiterProcessor<>("memory_limiter", c,
        HeapLimits.of(c, Runtime.getRuntime().maxMemory()), used::get, next, log);
    limiter.start();
    return limiter;
  }

  @AfterEach
  void stop() {
    if (limiter != null) {
      limiter.shutdown(Instant.now());
    }
  }

  @Test
  void passesDataThroughBelowTheSoftLimit() {
    var p = limiter(500, 100);
    assertThat(p.consume(TestData.spans(1))).isCompleted();
    assertThat(next.batchCount()).isEqualTo(1);
  }

  /** A next hop that takes bytes (a durable queue), recording them. */
  static final class BytesNext implements io.vigil.core.Consumer<ExportTraceServiceRequest>,
      io.vigil.core.EncodedConsumer {
    final java.util.List<byte[]> bytes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> consume(ExportTraceServiceRequest batch) {
      return CompletableFuture.failedFuture(new AssertionError("decoded"));
    }

    @Override
    public boolean takesEncoded() {
      return true;
    }

    @Override
    public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
      bytes.add(request);
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void passesBytesOnUndecodedWhenTheNextHopTakesThemAndRefusesThemAboveTheLimitAlike() {
    MemoryLimiterConfig c = new MemoryLimiterConfig();
    c.limitMib = 500;
    c.spikeLimitMib = 100;
    c.checkInterval = Duration.ofMillis(100);
    BytesNext queue = new BytesNext();
    limiter = new MemoryLimiterProcessor<>("memory_limiter", c,
        HeapLimits.of(c, Runtime.getRuntime().maxMemory()), used::get, queue,
        LoggerFactory.getLogger("test.memory_limiter"));
    limiter.start();
    assertThat(io.vigil.core.EncodedConsumer.of(limiter)).isSameAs(limiter);
    byte[] request = TestData.spans(3).toByteArray();
    assertThat(limiter.consumeEncoded(request, 3)).isCompleted();
    assertThat(queue.bytes).containsExactly(request);

    used.set(450 * MIB);
    limiter.check();
    assertThat(limiter.consumeEncoded(request, 3)).failsWithin(Duration.ZERO)
        .withThrowableThat().satisfies(t -> assertThat(ConsumeException.from(t).kind())
            .isEqualTo(ConsumeException.Kind.THROTTLED));
    assertThat(queue.bytes).hasSize(1);
    // Before a hop that wants messages, it does not offer to take bytes.
    assertThat(io.vigil.core.EncodedConsumer.of(limiter(500, 100))).isNull();
  }

  @Test
  void refusesAboveTheSoftLimitWithAThrottledRetryableError() {
    var p = limiter(500, 100);
    used.set(450 * MIB);
    p.check();
    CompletableFuture<Void> f = p.consume(TestData.spans(1));
    assertThat(f).failsWithin(Duration.ZERO).withThrowableThat().satisfies(t -> {
      ConsumeException e = ConsumeException.from(t);
      assertThat(e.kind()).isEqualTo(ConsumeException.Kind.THROTTLED);
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.retryAfter()).hasValue(Duration.ofMillis(100));
      assertThat(e.getMessage()).contains("450 MiB is above the soft limit 400 MiB");
    });
    assertThat(next.batchCount()).isZero();

    used.set(300 * MIB);
    p.check();
    assertThat(p.consume(TestData.spans(1))).isCompleted();
    assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
  }

  @Test
  void readsMemoryAgainOnTrafficBetweenChecks() {
    var p = limiter(500, 100);
    used.set(480 * MIB);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
        .until(() -> p.consume(TestData.spans(1)).isCompletedExceptionally());
    assertThat(p.isRefusing()).isTrue();
  }

  @Test
  void spikeDefaultsToAFifthOfTheLimit() {
    MemoryLimiterConfig c = new MemoryLimiterConfig();
    c.limitMib = 1000;
    HeapLimits l = HeapLimits.of(c, 4000 * MIB);
    assertThat(l.softBytes).isEqualTo(800 * MIB);
    MemoryLimiterConfig pct = new MemoryLimiterConfig();
    pct.limitPercentage = 80;
    pct.spikeLimitPercentage = 20;
    HeapLimits lp = HeapLimits.of(pct, 1000 * MIB);
    assertThat(lp.hardBytes).isEqualTo(800 * MIB);
    assertThat(lp.softBytes).isEqualTo(600 * MIB);
  }

  @Test
  void configNeedsALimitAndASmallerSpike() {
    var f = new MemoryLimiterProcessorFactory();
    assertThatThrownBy(() -> f.validate(new MemoryLimiterConfig()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("limit_mib: set limit_mib or limit_percentage");
    MemoryLimiterConfig c = new MemoryLimiterConfig();
    c.limitMib = 100;
    c.spikeLimitMib = 100;
    assertThatThrownBy(() -> f.validate(c)).hasMessageStartingWith("spike_limit_mib: must be below");
  }
}
