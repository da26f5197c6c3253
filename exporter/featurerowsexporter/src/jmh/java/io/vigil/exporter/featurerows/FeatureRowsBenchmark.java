package io.vigil.exporter.featurerows;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.featurerows.FeatureRow;
import io.vigil.featurerows.FeatureRowBuilder;
import io.vigil.featurerows.FeatureRowsSettings;
import io.vigil.testing.ServiceMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one service's export (span metrics and heap gauges, the default features) through the
 * row builder, and of writing an hour of rows for 50 services (6,000 rows) to Parquet.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FeatureRowsBenchmark {

  private static final long S = 1_000_000_000L;
  private final List<ExportMetricsServiceRequest> exports = new ArrayList<>();
  private FeatureRowBuilder builder;
  private List<FeatureRow> hour;
  private Path dir;
  private int next;

  @Setup
  public void setUp() throws IOException {
    FeatureRowsSettings s = new FeatureRowsSettings();
    builder = new FeatureRowBuilder(s);
    ServiceMetrics m = new ServiceMetrics("orders", 0);
    for (int i = 1; i <= 1000; i++) {
      exports.add(m.next(i * 10 * S, 100, i % 7, 20 + i % 50, 1e8));
    }
    hour = new ArrayList<>();
    for (int svc = 0; svc < 50; svc++) {
      for (int w = 0; w < 120; w++) {
        double[] v = new double[builder.names().size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = k == 2 ? Double.NaN : svc * 0.1 + w + k;
        }
        hour.add(new FeatureRow("service-" + svc, w * 30 * S, (w + 1) * 30 * S, v));
      }
    }
    dir = Files.createTempDirectory("featurerows-bench");
  }

  @Benchmark
  public int addOneExport() {
    ExportMetricsServiceRequest r = exports.get(next++ % exports.size());
    builder.add(r);
    // Rows are handed out as the exporter's timer would, so memory stays flat.
    return builder.closeUntil(Long.MAX_VALUE / 4).size();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long writeAnHourOf50Services() throws IOException {
    Path f = dir.resolve("hour.parquet");
    Files.deleteIfExists(f);
    ParquetRowWriter.write(f, builder.names(), hour);
    return Files.size(f);
  }
}
