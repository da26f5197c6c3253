package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The answers every {@link TelemetryQuery} must give about {@link ShopTraffic}. A subclass
 * stores the traffic in its backend and hands back the query. Percentiles are compared with a
 * tolerance of one step of the data (10 ms at the storefront), because a search engine may
 * interpolate where the store takes the nearest rank.
 */
abstract class TelemetryQueryContract {

  /** The query over a backend holding exactly the ShopTraffic batches. */
  abstract TelemetryQuery query();

  @Test
  void findsATraceWithItsSpansAcrossServicesAndItsLogs() {
    TraceView t = query().trace(ShopTraffic.traceId(6)).orElseThrow();
    assertThat(t.spans()).extracting(StoredSpan::service)
        .containsExactly("storefront", "storefront", "orders", "orders", "payments");
    assertThat(t.spans().get(0).parentSpanId()).isEmpty();
    assertThat(t.spans().get(4).parentSpanId()).isEqualTo(ShopTraffic.spanId(6, 3));
    assertThat(t.spans().get(4).failed()).isTrue();
    assertThat(t.spans().get(0).durationNanos()).isEqualTo(70_000_000L);
    assertThat(t.logs()).extracting(StoredLog::body).containsExactly(
        "Order 1006 placed for user u6", "Payment declined for order 1006: card expired");
  }

  @Test
  void anUnknownTraceIsEmpty() {
    assertThat(query().trace("00000000000000000000000000ffffff")).isEmpty();
  }

  @Test
  void searchesLogsBySeverityNewestFirst() {
    List<StoredLog> errors = query().logs(LogSearch.in(wide(), 50).minSeverity(17));
    assertThat(errors).extracting(StoredLog::body).containsExactly(
        "Payment declined for order 1013: card expired",
        "Payment declined for order 1006: card expired");
    assertThat(errors.get(0).traceId()).isEqualTo(ShopTraffic.traceId(13));
    assertThat(errors.get(0).templateId()).isEqualTo(ShopTraffic.DECLINED_TEMPLATE_ID);
    assertThat(query().logs(LogSearch.in(wide(), 50).minSeverity(13)))
        .hasSize(3).last().extracting(StoredLog::body)
        .isEqualTo("Connection pool warming up slowly");
  }

  @Test
  void searchesLogsByTextServiceTraceAndTemplate() {
    assertThat(query().logs(LogSearch.in(wide(), 50).text("declined card")))
        .extracting(StoredLog::service).containsOnly("payments").hasSize(2);
    assertThat(query().logs(LogSearch.in(wide(), 50).service("orders"))).hasSize(20);
    assertThat(query().logs(LogSearch.in(wide(), 50).traceId(ShopTraffic.traceId(3))))
        .extracting(StoredLog::body).containsExactly("Order 1003 placed for user u3");
    assertThat(query().logs(LogSearch.in(wide(), 50)
        .templateId(ShopTraffic.PLACED_TEMPLATE_ID))).hasSize(20);
  }

  @Test
  void logSearchHonoursTimeRangeAndLimit() {
    TimeRange firstFive = new TimeRange(ShopTraffic.startNanos(0), ShopTraffic.startNanos(5));
    List<StoredLog> logs = query().logs(LogSearch.in(firstFive, 3).service("orders"));
    assertThat(logs).extracting(StoredLog::body).containsExactly(
        "Order 1004 placed for user u4", "Order 1003 placed for user u3",
        "Order 1002 placed for user u2");
  }

  @Test
  void groupsLogsByTemplateWithCountsAndSparklines() {
    List<LogPattern> patterns = query().patterns(ShopTraffic.range(), "", 4, 10);
    assertThat(patterns).extracting(LogPattern::templateId)
        .containsExactly(ShopTraffic.PLACED_TEMPLATE_ID, ShopTraffic.DECLINED_TEMPLATE_ID);
    LogPattern placed = patterns.get(0);
    assertThat(placed.count()).isEqualTo(20);
    assertThat(placed.sparkline()).containsExactly(5, 5, 5, 5);
    assertThat(placed.template()).isEqualTo("Order <*> placed for user <*>");
    assertThat(placed.sample()).startsWith("Order 10").contains("placed for user");
    assertThat(patterns.get(1).sparkline()).containsExactly(0, 1, 1, 0);
    assertThat(query().patterns(ShopTraffic.range(), "payments", 4, 10))
        .extracting(LogPattern::templateId).containsExactly(ShopTraffic.DECLINED_TEMPLATE_ID);
  }

  @Test
  void servicesOverviewCountsEntrySpansWithErrorRateAndLatency() {
    Map<String, ServiceSummary> services = query().services(ShopTraffic.range()).stream()
        .collect(Collectors.toMap(ServiceSummary::service, Function.identity()));
    assertThat(services).containsOnlyKeys("storefront", "orders", "payments");
    ServiceSummary storefront = services.get("storefront");
    assertThat(storefront.requests()).isEqualTo(20);
    assertThat(storefront.errors()).isZero();
    assertThat(storefront.ratePerSecond()).isCloseTo(20 / 1200.0, within(1e-9));
    // 10, 20, ..., 200 ms: nearest rank p50 = 100, p95 = 190, p99 = 200.
    assertThat(storefront.p50Ms()).isCloseTo(100, within(10.0));
    assertThat(storefront.p95Ms()).isCloseTo(190, within(10.0));
    assertThat(storefront.p99Ms()).isCloseTo(200, within(10.0));
    ServiceSummary payments = services.get("payments");
    assertThat(payments.errors()).isEqualTo(2);
    assertThat(payments.errorRate()).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void serviceSeriesHasBucketsWithSlowestTraceAsExemplar() {
    ServiceSeries s = query().series("payments", ShopTraffic.range(), 4);
    assertThat(s.buckets()).hasSize(4);
    assertThat(s.bucketNanos()).isEqualTo(300_000_000_000L);
    assertThat(s.buckets()).extracting(ServiceSeries.Bucket::requests).containsExactly(5L, 5L,
        5L, 5L);
    assertThat(s.buckets()).extracting(ServiceSeries.Bucket::errors).containsExactly(0L, 1L, 1L,
        0L);
    ServiceSeries.Bucket second = s.buckets().get(1);
    assertThat(second.startNanos()).isEqualTo(ShopTraffic.startNanos(5));
    // Requests 5..9; the slowest is 9 (100 ms storefront, 25 ms payments).
    assertThat(second.exemplarTraceId()).isEqualTo(ShopTraffic.traceId(9));
    assertThat(second.exemplarMs()).isCloseTo(25, within(0.001));
    assertThat(second.p99Ms()).isCloseTo(25, within(2.5));
  }

  @Test
  void seriesOfAQuietServiceHasEmptyBuckets() {
    ServiceSeries s = query().series("nobody", ShopTraffic.range(), 3);
    assertThat(s.buckets()).hasSize(3).allSatisfy(b -> {
      assertThat(b.requests()).isZero();
      assertThat(b.exemplarTraceId()).isEmpty();
    });
  }

  /** The traffic and the warm-up line a millisecond before it. */
  static TimeRange wide() {
    return new TimeRange(ShopTraffic.startNanos(-1), ShopTraffic.startNanos(ShopTraffic.REQUESTS));
  }
}
