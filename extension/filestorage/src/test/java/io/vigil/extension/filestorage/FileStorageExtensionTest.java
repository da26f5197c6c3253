package io.vigil.extension.filestorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.testing.TestComponents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extension inside a real pipeline graph: created directory, lock, lookup by ID. */
class FileStorageExtensionTest {

  @TempDir Path tmp;

  private PipelineGraph graph(String extensions, String serviceExtensions) {
    String yaml = String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp: }",
        "extensions: " + extensions,
        "service:",
        "  extensions: " + serviceExtensions,
        "  pipelines: {traces: {receivers: [testrcv], exporters: [testexp]}}");
    return PipelineGraph.build(new ConfigLoader(registry()).load(yaml), new GatewayTelemetry());
  }

  /** The in-memory test receiver and exporter, which really run, and file_storage. */
  private static ComponentRegistry registry() {
    ComponentRegistry test = new TestComponents().registry();
    ComponentRegistry.Builder b = ComponentRegistry.builder()
        .add(ComponentKind.EXTENSION, new FileStorageFactory());
    for (ComponentKind kind : List.of(ComponentKind.RECEIVER, ComponentKind.EXPORTER)) {
      test.types(kind).forEach(t -> b.add(kind, test.factory(kind, t)));
    }
    return b.build();
  }

  @Test
  void startsInAMissingDirectoryAndServesLogsFoundThroughTheHost() throws Exception {
    Path dir = tmp.resolve("not/yet/there");
    PipelineGraph g = graph("{file_storage: {directory: '" + dir + "'}}", "[file_storage]");
    g.start();

    FileStorageExtension ext = g.host().requireExtension(
        ComponentId.parse("file_storage"), FileStorageExtension.class, "sending_queue::storage");
    String client = FileStorageExtension.clientName(
        ComponentKind.EXPORTER, ComponentId.parse("otlp/backup"), "traces");
    DurableLog log = ext.log(client);
    long pos = log.append("hello".getBytes(StandardCharsets.UTF_8)).join();
    LogReader reader = log.reader("sender");
    List<StoredRecord> read = reader.next(10);

    assertThat(client).isEqualTo("exporter_otlp_backup_traces");
    assertThat(Files.isDirectory(dir.resolve(client))).isTrue();
    assertThat(read).extracting(StoredRecord::position).containsExactly(pos);
    assertThat(ext.budget().used()).isEqualTo(RecordFormat.HEADER_BYTES + 5);
    g.shutdown(Duration.ofSeconds(5));
    assertThatThrownBy(() -> log.append(new byte[1]).join())
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void listsTheLogsEarlierRunsLeftAsWellAsOpenOnes() throws Exception {
    Files.createDirectories(tmp.resolve("exporter_loadbalancing_10.0.0.9~4317_traces/readers"));
    Files.writeString(tmp.resolve("not-a-log"), "x");
    PipelineGraph g = graph("{file_storage: {directory: '" + tmp + "'}}", "[file_storage]");
    g.start();
    FileStorageExtension ext = g.host().requireExtension(
        ComponentId.parse("file_storage"), FileStorageExtension.class, "sending_queue::storage");
    ext.log("exporter_otlp_traces");

    // The lock file and files are not logs; a directory left by a run before this one is.
    assertThat(ext.clients())
        .containsExactly("exporter_loadbalancing_10.0.0.9~4317_traces", "exporter_otlp_traces");
    g.shutdown(Duration.ofSeconds(5));
    assertThatThrownBy(ext::clients).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void directoryThatCannotBeCreatedFailsStartNamingTheKey() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    PipelineGraph g = graph(
        "{file_storage: {directory: '" + file.resolve("sub") + "'}}", "[file_storage]");

    assertThatThrownBy(g::start)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("extensions::file_storage::directory: cannot create ");
  }

  @Test
  void twoExtensionsOnOneDirectoryFailNamingTheLock() {
    PipelineGraph g = graph(
        "{file_storage: {directory: '" + tmp + "'}, file_storage/2: {directory: '" + tmp
            + "', timeout: 50ms}}",
        "[file_storage, file_storage/2]");

    assertThatThrownBy(g::start)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("extensions::file_storage/2::directory: ")
        .hasMessageContaining("is in use by another file_storage");
  }
}
