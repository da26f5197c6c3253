package io.vigil.gateway.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

/**
 * The images deploy/images/build.sh builds, by name: each module whose Jib tarball it copies
 * out, and the image name that module's {@code images} profile gives Jib ({@code <to><image>}).
 * The manifests may use these and nothing else: an image the script does not build cannot be
 * loaded or pushed.
 */
final class BuiltImages {

  private static final Pattern COPIED =
      Pattern.compile("cp \"\\$root/([\\w/]+)/target/jib-image\\.tar\"");
  private static final String TAG_SUFFIX = ":${vigil.image.tag}";

  private BuiltImages() {}

  /** Image name (without tag) to the module that builds it. */
  static Map<String, Path> byName() throws Exception {
    String script = Files.readString(Repo.DEPLOY.resolve("images/build.sh"));
    Map<String, Path> out = new TreeMap<>();
    Matcher m = COPIED.matcher(script);
    while (m.find()) {
      Path module = Repo.ROOT.resolve(m.group(1));
      out.put(jibImage(module.resolve("pom.xml")), module);
    }
    if (out.isEmpty()) {
      throw new AssertionError("deploy/images/build.sh copies no jib-image.tar out");
    }
    return out;
  }

  private static String jibImage(Path pom) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    String image = (String) XPathFactory.newInstance().newXPath().evaluate(
        "//*[local-name()='profile'][*[local-name()='id']='images']"
            + "//*[local-name()='plugin'][*[local-name()='artifactId']='jib-maven-plugin']"
            + "/*[local-name()='configuration']/*[local-name()='to']/*[local-name()='image']",
        doc, XPathConstants.STRING);
    if (!image.trim().endsWith(TAG_SUFFIX)) {
      throw new AssertionError(pom + ": the images profile's Jib <to><image> is not NAME"
          + TAG_SUFFIX + " but '" + image.trim() + "'");
    }
    return image.trim().substring(0, image.trim().length() - TAG_SUFFIX.length());
  }
}
