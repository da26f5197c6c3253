package io.vigil.processor.ottl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Details of the functions the expression table cannot show on its fixture. */
class FunctionsTest {

  @Test
  void truncationCountsUtf8BytesAndNeverSplitsACharacter() {
    assertThat(Functions.utf8Prefix("hello", 2)).isEqualTo("he");
    assertThat(Functions.utf8Prefix("héllo", 2)).isEqualTo("h");
    assertThat(Functions.utf8Prefix("héllo", 3)).isEqualTo("hé");
    assertThat(Functions.utf8Prefix("a😀b", 4)).isEqualTo("a");
    assertThat(Functions.utf8Prefix("a😀b", 5)).isEqualTo("a😀");
    assertThat(Functions.utf8Prefix("abc", 0)).isEmpty();
    assertThat(Functions.utf8Prefix("abc", 10)).isEqualTo("abc");
  }

  @Test
  void caseConversionsFollowTheCollectorsExamples() {
    assertThat(Functions.snake("HTTPServerRequest")).isEqualTo("http_server_request");
    assertThat(Functions.snake("userID")).isEqualTo("user_id");
    assertThat(Functions.camel("http_server_request")).isEqualTo("HttpServerRequest");
  }
}
