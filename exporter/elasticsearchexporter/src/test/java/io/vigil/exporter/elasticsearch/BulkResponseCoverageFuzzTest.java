package io.vigil.exporter.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.List;

/**
 * Coverage-guided (Jazzer): any bytes an engine or a proxy answers to {@code _bulk} read as one
 * item per document sent, or fail with the IOException the sender turns into a retry. Runs the
 * committed inputs under {@code BulkResponseCoverageFuzzTestInputs/} in every build; fuzzes with
 * {@code JAZZER_FUZZ=1} (docs/security.md).
 */
class BulkResponseCoverageFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void anyBodyReadsAsItemsOrAnIoException(FuzzedDataProvider data) {
    // The count sent is the input's last byte (how Jazzer's provider reads a small int), the
    // body the rest: both the count-mismatch refusal and the per-item reading are reached.
    int expected = data.consumeInt(0, 8);
    byte[] body = data.consumeRemainingAsBytes();
    List<BulkResponse.Item> items;
    try {
      items = BulkResponse.items(body, expected);
    } catch (IOException refused) {
      return;
    }
    assertThat(items).hasSize(expected);
    items.forEach(item -> assertThat(item.outcome()).isNotNull());
  }
}
