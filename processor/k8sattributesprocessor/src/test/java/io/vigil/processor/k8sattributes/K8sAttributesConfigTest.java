package io.vigil.processor.k8sattributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.config.ConfigException;
import io.vigil.testing.ConfigTestdata;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The testdata configs: each bad one is refused with an error naming its key. */
class K8sAttributesConfigTest {

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("bad-auth-type.yaml", "processors::k8sattributes::auth_type", "token"),
        Arguments.of("bad-unknown-key.yaml", "processors::k8sattributes::filter::nodes",
            "unknown"),
        Arguments.of("bad-metadata.yaml", "processors::k8sattributes::extract::metadata[1]",
            "k8s.pod.colour"),
        Arguments.of("bad-association-from.yaml",
            "processors::k8sattributes::pod_association[1]::sources[0]::from", "header"),
        Arguments.of("bad-association-name.yaml",
            "processors::k8sattributes::pod_association[0]::sources[0]::name", "required"),
        Arguments.of("bad-label-from.yaml",
            "processors::k8sattributes::extract::labels[0]::from", "service"),
        Arguments.of("bad-key-and-regex.yaml",
            "processors::k8sattributes::extract::annotations[0]", "exactly one"),
        Arguments.of("bad-key-regex.yaml",
            "processors::k8sattributes::extract::labels[0]::key_regex", "regular expression"),
        Arguments.of("bad-key-regex-backreference.yaml",
            "processors::k8sattributes::extract::labels[0]::key_regex", "back-references"),
        Arguments.of("bad-exclude-pod-lookahead.yaml",
            "processors::k8sattributes::exclude::pods[1]::name", "look-around"),
        Arguments.of("bad-filter-op.yaml", "processors::k8sattributes::filter::fields[0]::op",
            "exists"),
        Arguments.of("bad-rule-unknown-key.yaml",
            "processors::k8sattributes::extract::annotations::1::key_regexp", "unknown"),
        Arguments.of("bad-metadata-v1-name.yaml",
            "processors::k8sattributes::extract::metadata[2]", "container.image.tags"),
        Arguments.of("bad-association-unknown-key.yaml",
            "processors::k8sattributes::pod_association::1::sources::0::optional", "unknown"),
        Arguments.of("bad-wait-timeout.yaml",
            "processors::k8sattributes::wait_for_metadata_timeout", ""));
  }

  @ParameterizedTest
  @MethodSource("bad")
  void badConfigIsRefusedNamingTheKey(String file, String keyPath, String mentions) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.keyPath()).isEqualTo(keyPath);
          assertThat(e.getMessage()).contains(mentions);
        });
  }

  @Test
  void defaultsAreTheCollectors() {
    K8sAttributesConfig c = new K8sAttributesConfig();
    assertThat(c.authType).isEqualTo("serviceAccount");
    assertThat(c.passthrough).isFalse();
    assertThat(c.waitForMetadata).isFalse();
    assertThat(c.waitForMetadataTimeout).hasSeconds(10);
    assertThat(c.extract.metadata).containsExactly("k8s.namespace.name", "k8s.pod.name",
        "k8s.pod.uid", "k8s.pod.start_time", "k8s.deployment.name", "k8s.node.name");
    assertThat(c.podAssociation).isEmpty();
    assertThat(c.exclude.pods).extracting(p -> p.name)
        .containsExactly("jaeger-agent", "jaeger-collector");
  }
}
