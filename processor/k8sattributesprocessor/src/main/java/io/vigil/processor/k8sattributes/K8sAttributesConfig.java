package io.vigil.processor.k8sattributes;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vigil.core.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Config of the {@code k8sattributes} processor; keys and defaults as the Collector's. */
public class K8sAttributesConfig {

  /** How the processor authenticates to the API server: serviceAccount, kubeConfig or none. */
  public String authType = "serviceAccount";
  /** The kubeconfig file for {@code auth_type: kubeConfig}; empty: $KUBECONFIG or ~/.kube/config. */
  public String kubeConfigPath = "";
  /** The kubeconfig context for {@code auth_type: kubeConfig}; empty: the current one. */
  public String context = "";
  /** Only add {@code k8s.pod.ip} from the connection; no API calls (an agent before a gateway). */
  public boolean passthrough;
  /** Fail start unless the informers have listed everything within the timeout. */
  public boolean waitForMetadata;
  public Duration waitForMetadataTimeout = Duration.ofSeconds(10);
  public Extract extract = new Extract();
  public Filter filter = new Filter();
  public List<PodAssociation> podAssociation = new ArrayList<>();
  public Exclude exclude = new Exclude();

  /** The metadata the Collector adds when {@code extract::metadata} is not set. */
  public static final List<String> DEFAULT_METADATA = List.of("k8s.namespace.name",
      "k8s.pod.name", "k8s.pod.uid", "k8s.pod.start_time", "k8s.deployment.name", "k8s.node.name");

  /** The {@code extract::metadata} names this processor fills in. */
  public static final Set<String> SUPPORTED_METADATA = Set.of(
      "k8s.namespace.name", "k8s.pod.name", "k8s.pod.uid", "k8s.pod.hostname", "k8s.pod.ip",
      "k8s.pod.start_time", "k8s.replicaset.name", "k8s.replicaset.uid", "k8s.deployment.name",
      "k8s.deployment.uid", "k8s.daemonset.name", "k8s.daemonset.uid", "k8s.statefulset.name",
      "k8s.statefulset.uid", "k8s.job.name", "k8s.job.uid", "k8s.cronjob.name",
      "k8s.cronjob.uid", "k8s.node.name", "k8s.node.uid", "k8s.cluster.uid",
      "k8s.container.name", "container.id", "container.image.name", "container.image.tag",
      "container.image.repo_digests", "service.namespace", "service.name", "service.version",
      "service.instance.id");

  /** The objects {@code extract::labels[i]::from} and {@code annotations[i]::from} may name. */
  public static final List<String> RULE_SOURCES = List.of("pod", "namespace", "node",
      "deployment", "statefulset", "daemonset", "job");

  /** {@code extract}. */
  public static class Extract {
    public List<String> metadata = new ArrayList<>(DEFAULT_METADATA);
    public List<FieldExtract> labels = new ArrayList<>();
    public List<FieldExtract> annotations = new ArrayList<>();
    /** Pod annotations {@code resource.opentelemetry.io/NAME} become attribute NAME. */
    public boolean otelAnnotations;
    /** k8s.deployment.name from the ReplicaSet's name minus its hash; no replicaset watch. */
    public boolean deploymentNameFromReplicaset;
  }

  /** An entry of {@code extract::labels} or {@code extract::annotations}. */
  public static class FieldExtract {
    /** The attribute name; with key_regex may use $1... for capture groups. */
    public String tagName = "";
    public String key = "";
    public String keyRegex = "";
    /** Whose labels/annotations: pod, namespace, node, deployment, statefulset, daemonset, job. */
    public String from = "pod";
  }

  /** {@code filter}: which pods are watched (and so held in memory). */
  public static class Filter {
    public String node = "";
    public String nodeFromEnvVar = "";
    public String namespace = "";
    public List<FieldFilter> fields = new ArrayList<>();
    public List<FieldFilter> labels = new ArrayList<>();
  }

  /** An entry of {@code filter::fields} or {@code filter::labels}. */
  public static class FieldFilter {
    public String key = "";
    public String value = "";
    public String op = "equals";
  }

  /** An entry of {@code pod_association}: every source must have a value for it to apply. */
  public static class PodAssociation {
    public List<AssociationSource> sources = new ArrayList<>();
  }

  /** {@code pod_association[i]::sources[j]}. */
  public static class AssociationSource {
    /** connection or resource_attribute. */
    public String from = "";
    /** The resource attribute, for {@code from: resource_attribute}. */
    public String name = "";
  }

  /** {@code exclude}. */
  public static class Exclude {
    public List<ExcludePod> pods = new ArrayList<>(List.of(pod("jaeger-agent"),
        pod("jaeger-collector")));
  }

  /** {@code exclude::pods[i]}: pods whose name matches {@code name} (a regex) are not watched. */
  public static class ExcludePod {
    public String name = "";
  }

  private static ExcludePod pod(String name) {
    ExcludePod p = new ExcludePod();
    p.name = name;
    return p;
  }

  /** Checks every key; the exception names the key path, e.g. {@code extract::labels[0]::from}. */
  public void validate() {
    if (!Set.of("serviceAccount", "kubeConfig", "none").contains(authType)) {
      throw new ConfigException("auth_type", "must be serviceAccount, kubeConfig or none, got \""
          + authType + "\"");
    }
    if (waitForMetadata) {
      ConfigException.requirePositive(waitForMetadataTimeout, "wait_for_metadata_timeout");
    }
    for (int i = 0; i < extract.metadata.size(); i++) {
      String m = extract.metadata.get(i);
      if (!SUPPORTED_METADATA.contains(m)) {
        throw new ConfigException("extract::metadata[" + i + "]", "\"" + m + "\" is not one of "
            + new java.util.TreeSet<>(SUPPORTED_METADATA));
      }
    }
    validateRules(extract.labels, "extract::labels");
    validateRules(extract.annotations, "extract::annotations");
    validateFilters(filter.fields, "filter::fields", Set.of("equals", "not-equals"));
    validateFilters(filter.labels, "filter::labels",
        Set.of("equals", "not-equals", "exists", "does-not-exist"));
    for (int i = 0; i < podAssociation.size(); i++) {
      String at = "pod_association[" + i + "]::sources";
      List<AssociationSource> sources = podAssociation.get(i).sources;
      if (sources == null || sources.isEmpty()) {
        throw new ConfigException(at, "required: at least one source");
      }
      if (sources.size() > 4) {
        throw new ConfigException(at, "at most 4 sources, got " + sources.size());
      }
      for (int j = 0; j < sources.size(); j++) {
        AssociationSource s = sources.get(j);
        String sat = at + "[" + j + "]";
        if ("resource_attribute".equals(s.from)) {
          if (s.name == null || s.name.isEmpty()) {
            throw new ConfigException(sat + "::name", "required with from: resource_attribute");
          }
        } else if (!"connection".equals(s.from)) {
          throw new ConfigException(sat + "::from", "must be connection or resource_attribute,"
              + " got \"" + s.from + "\"");
        }
      }
    }
    for (int i = 0; i < exclude.pods.size(); i++) {
      compile(exclude.pods.get(i).name, "exclude::pods[" + i + "]::name");
    }
  }

  private static void validateRules(List<FieldExtract> rules, String at) {
    for (int i = 0; i < rules.size(); i++) {
      FieldExtract r = rules.get(i);
      String rat = at + "[" + i + "]";
      if (!RULE_SOURCES.contains(r.from)) {
        throw new ConfigException(rat + "::from", "must be one of " + RULE_SOURCES + ", got \""
            + r.from + "\"");
      }
      boolean key = r.key != null && !r.key.isEmpty();
      boolean regex = r.keyRegex != null && !r.keyRegex.isEmpty();
      if (key == regex) {
        throw new ConfigException(rat, "set exactly one of key and key_regex");
      }
      if (regex) {
        Pattern p = compile(r.keyRegex, rat + "::key_regex");
        Matcher refs = Pattern.compile("\\$(\\d+)").matcher(r.tagName);
        while (refs.find()) {
          if (refs.group(1).length() > 3
              || Integer.parseInt(refs.group(1)) > p.matcher("").groupCount()) {
            throw new ConfigException(rat + "::tag_name", "refers to group $" + refs.group(1)
                + " but key_regex has " + p.matcher("").groupCount());
          }
        }
      } else if (r.tagName.contains("$")) {
        throw new ConfigException(rat + "::tag_name", "group references ($1) need key_regex");
      }
    }
  }

  private static void validateFilters(List<FieldFilter> filters, String at, Set<String> ops) {
    for (int i = 0; i < filters.size(); i++) {
      FieldFilter f = filters.get(i);
      if (f.key == null || f.key.isEmpty()) {
        throw new ConfigException(at + "[" + i + "]::key", "required");
      }
      if (!ops.contains(f.op)) {
        throw new ConfigException(at + "[" + i + "]::op", "must be one of " + ops + ", got \""
            + f.op + "\"");
      }
    }
  }

  /**
   * RE2/J, as the Collector's Go regexp: linear-time matching whatever the pattern, so a
   * regex from the config cannot backtrack catastrophically on every pod; look-around and
   * back-references are refused here, as Go refuses them.
   */
  private static Pattern compile(String regex, String at) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(at, "not a valid regular expression (Go/RE2 syntax: no"
          + " look-around or back-references): " + e.getDescription());
    }
  }
}
