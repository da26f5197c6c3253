package io.vigil.exporter.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bulk response is bytes from the network: whatever the engine (or a proxy in front of it)
 * answers, reading it either yields one item per document sent or fails with an IOException
 * that the sender turns into a retry. Anything else would escape the sender's error handling.
 */
class BulkResponseFuzzTest {

  private static final String VALID = """
      {"took":3,"errors":true,"items":[
       {"create":{"_index":"logs-app-default","_id":"a","status":201}},
       {"create":{"_index":"logs-app-default","_id":"b","status":409,
         "error":{"type":"version_conflict_engine_exception","reason":"exists"}}},
       {"create":{"_index":"logs-app-default","_id":"c","status":400,
         "error":{"type":"mapper_parsing_exception","reason":"bad field"}}},
       {"create":{"_index":"logs-app-default","_id":"d","status":429,
         "error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}]}
      """;

  @Test
  void theValidResponseReadsAsItsFourOutcomes() throws IOException {
    List<BulkResponse.Item> items =
        BulkResponse.items(VALID.getBytes(StandardCharsets.UTF_8), 4);
    assertThat(items).extracting(BulkResponse.Item::outcome).containsExactly(
        BulkResponse.Outcome.INDEXED, BulkResponse.Outcome.INDEXED,
        BulkResponse.Outcome.DROPPED, BulkResponse.Outcome.RETRY);
  }

  @Test
  void mutatedResponsesGiveItemsOrAnIoExceptionNothingElse() {
    byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
    Random r = new Random(0xB01CL);
    int parsed = 0;
    int refused = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] b = mutate(valid, r);
      try {
        List<BulkResponse.Item> items = BulkResponse.items(b, 4);
        assertThat(items).hasSize(4);
        items.forEach(item -> assertThat(item.outcome()).isNotNull());
        parsed++;
      } catch (IOException expected) {
        refused++;
      }
    }
    // Both paths must be exercised, or the mutations are too mild or too wild to prove much.
    assertThat(parsed).isPositive();
    assertThat(refused).isPositive();
  }

  private static byte[] mutate(byte[] valid, Random r) {
    byte[] b = valid.clone();
    switch (r.nextInt(4)) {
      case 0 -> { // flip a few bytes
        for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
      }
      case 1 -> { // truncate
        b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      }
      case 2 -> { // random bytes
        b = new byte[r.nextInt(256)];
        r.nextBytes(b);
      }
      default -> { // replace a digit or a quote, keeping the JSON mostly intact
        for (int k = 0; k < b.length; k++) {
          int at = r.nextInt(b.length);
          if (Character.isDigit(b[at]) || b[at] == '"') {
            b[at] = (byte) "0123456789\"{}[]".charAt(r.nextInt(15));
            break;
          }
        }
      }
    }
    return b;
  }
}
