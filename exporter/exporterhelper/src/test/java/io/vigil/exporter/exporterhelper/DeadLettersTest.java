package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.testing.TestData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLettersTest {

  @TempDir Path dir;

  @Test
  void appendedRequestsReadBackInOrderAndAsParseDelimitedFromReadsThem() throws Exception {
    Path file = dir.resolve("dead-letter/traces.pb");
    ExportTraceServiceRequest a = TestData.spans(2);
    ExportTraceServiceRequest b = TestData.spans(3);
    DeadLetters.append(file, List.of(a.toByteArray()));
    DeadLetters.append(file, List.of(b.toByteArray()));

    assertThat(DeadLetters.read(file)).hasSize(2);
    assertThat(ExportTraceServiceRequest.parseFrom(DeadLetters.read(file).get(1))).isEqualTo(b);
    try (InputStream in = Files.newInputStream(file)) {
      assertThat(ExportTraceServiceRequest.parseDelimitedFrom(in)).isEqualTo(a);
      assertThat(ExportTraceServiceRequest.parseDelimitedFrom(in)).isEqualTo(b);
    }
  }

  @Test
  void aRequestCutShortAtTheEndIsLeftOut() throws Exception {
    Path file = dir.resolve("dead-letter/traces.pb");
    DeadLetters.append(file, List.of(TestData.spans(2).toByteArray()));
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, whole, StandardOpenOption.APPEND);
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2),
        StandardOpenOption.APPEND);

    assertThat(DeadLetters.read(file)).hasSize(2);
  }

  @Test
  void afterMoveAsideAppendsStartANewFile() throws Exception {
    Path file = dir.resolve("dead-letter/traces.pb");
    Path aside = dir.resolve("dead-letter/traces.pb.replaying");
    assertThat(DeadLetters.moveAside(file, aside)).as("nothing to move").isFalse();
    DeadLetters.append(file, List.of(TestData.spans(1).toByteArray()));

    assertThat(DeadLetters.moveAside(file, aside)).isTrue();
    DeadLetters.append(file, List.of(TestData.spans(4).toByteArray()));

    assertThat(DeadLetters.read(aside)).hasSize(1);
    assertThat(DeadLetters.read(file)).hasSize(1);
    assertThat(ExportTraceServiceRequest.parseFrom(DeadLetters.read(file).get(0))
        .getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(4);
  }
}
