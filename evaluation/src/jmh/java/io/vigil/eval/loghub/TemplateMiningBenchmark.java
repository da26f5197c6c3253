package io.vigil.eval.loghub;

import io.vigil.eval.SharedData;
import io.vigil.processor.logtemplate.LogTemplateConfig;
import io.vigil.analysis.logtemplate.TemplateMiner;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Template mining on one thread over the 22,000 lines of the 11 shared Loghub 2k samples
 * (their {@code Content} column), with the processor's default configuration. {@code warm}:
 * a miner that has seen the lines before, as in a gateway that has run a while; {@code cold}:
 * a fresh miner each pass, so learning every template is included. Scores are lines per
 * second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TemplateMiningBenchmark {

  /** Lines of the 11 samples; the count JMH divides by. */
  static final int LINES = 22_000;

  String[] lines;
  TemplateMiner warm;

  @Setup
  public void setUp() {
    var dir = SharedData.folder("loghub-2k").orElseThrow(() -> new IllegalStateException(
        "TemplateMiningBenchmark needs ../shared/data/loghub-2k (or -Dvigil.data=...)"));
    List<String> all = LoghubDataset.all(dir).stream()
        .flatMap(s -> s.lines().stream()).map(LoghubDataset.Line::content).toList();
    if (all.size() != LINES) {
      throw new IllegalStateException("expected " + LINES + " lines, found " + all.size());
    }
    lines = all.toArray(new String[0]);
    warm = new LogTemplateConfig().newMiner();
    for (String l : lines) {
      warm.add(l);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public long warm() {
    long sum = 0;
    for (String l : lines) {
      sum += warm.add(l).template().id();
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public long cold() {
    TemplateMiner m = new LogTemplateConfig().newMiner();
    long sum = 0;
    for (String l : lines) {
      sum += m.add(l).template().id();
    }
    return sum;
  }
}
