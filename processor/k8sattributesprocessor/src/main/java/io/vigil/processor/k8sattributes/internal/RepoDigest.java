package io.vigil.processor.k8sattributes.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container status's {@code imageID} as the Collector's {@code container.image.repo_digests}
 * entry: only a canonical reference ({@code repository@algorithm:hex}) counts, with the
 * repository normalised as Docker does ({@code nginx} is {@code docker.io/library/nginx}). A bare
 * digest, a runtime scheme ({@code docker-pullable://}) or anything malformed gives nothing.
 */
final class RepoDigest {
  private RepoDigest() {}

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern REFERENCE = Pattern.compile(
      "((?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?/)?" + COMPONENT
          + "(?:/" + COMPONENT + ")*)"
          + "(:[\\w][\\w.-]{0,127})?"
          + "@([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-fA-F0-9]{32,})");

  private static final java.util.Map<String, Integer> DIGEST_LENGTHS = java.util.Map.of(
      "sha256", 64, "sha384", 96, "sha512", 128);

  /** The canonical reference of {@code imageId}, or null when it is not one. */
  static String canonical(String imageId) {
    if (imageId == null || imageId.length() > 1024) {
      return null;
    }
    Matcher m = REFERENCE.matcher(imageId);
    if (!m.matches()) {
      return null;
    }
    String algorithm = m.group(3);
    String hex = m.group(4);
    // The digest algorithms a reference may name, each with its length (go-digest's).
    Integer length = DIGEST_LENGTHS.get(algorithm);
    if (length == null || hex.length() != length) {
      return null;
    }
    String name = m.group(1);
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    if (slash < 0) {
      name = "docker.io/library/" + name;
    } else if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
      name = "docker.io/" + name;
    }
    return name + (m.group(2) == null ? "" : m.group(2)) + "@" + algorithm + ":" + hex;
  }
}
