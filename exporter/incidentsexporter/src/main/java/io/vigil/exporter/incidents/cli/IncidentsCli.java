package io.vigil.exporter.incidents.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.JdkHttpClients;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.config.ConfigException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vigil-incidents}: the incidents API from a shell. Exit code 0 on success, 1 when the
 * API answers with an error (its message is printed), 2 for bad usage.
 */
@Command(name = "vigil-incidents", mixinStandardHelpOptions = true,
    description = "List and work on Vigil incidents through the incidents exporter's API.",
    subcommands = {IncidentsCli.ListCmd.class, IncidentsCli.ShowCmd.class,
        IncidentsCli.AckCmd.class, IncidentsCli.ResolveCmd.class, IncidentsCli.ReopenCmd.class})
public final class IncidentsCli {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--url", scope = CommandLine.ScopeType.INHERIT, defaultValue = "http://127.0.0.1:8687",
      description = "Base URL of the API (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--token", scope = CommandLine.ScopeType.INHERIT, defaultValue = "${env:VIGIL_INCIDENTS_TOKEN}",
      description = "Bearer token (default: $VIGIL_INCIDENTS_TOKEN).")
  String token;

  @Option(names = "--by", scope = CommandLine.ScopeType.INHERIT, defaultValue = "${sys:user.name}",
      description = "Who you are, for the timeline (default: your user name).")
  String by;

  @Option(names = "--cacert", scope = CommandLine.ScopeType.INHERIT, paramLabel = "PEM",
      description = "CA certificate(s) to trust for an https:// API signed by a private CA"
          + " (default: the JVM's trust store).")
  String caCert;

  @Option(names = "--cert", scope = CommandLine.ScopeType.INHERIT, paramLabel = "PEM",
      description = "Client certificate, for an API that requires mutual TLS (with --key).")
  String cert;

  @Option(names = "--key", scope = CommandLine.ScopeType.INHERIT, paramLabel = "PEM",
      description = "The client certificate's PKCS#8 private key.")
  String key;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the CLI with the given streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new IncidentsCli()).setOut(out).setErr(err).execute(args);
  }

  /** Sends one request; prints the answer (or the error message) and returns the exit code. */
  int call(String method, String path, ObjectNode body, boolean table) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
        .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    if (method.equals("POST")) {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    HttpResponse<String> resp;
    try (ClientTls loaded = loadTls()) {
      HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
      if (loaded != null) {
        JdkHttpClients.use(client, loaded);
      }
      resp = client.build().send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("cannot reach " + url + ": " + e);
      return 1;
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    }
    JsonNode answer = JSON.readTree(resp.body());
    PrintWriter out = spec.commandLine().getOut();
    if (resp.statusCode() != 200) {
      spec.commandLine().getErr().println("error " + resp.statusCode() + ": "
          + answer.path("message").asText(resp.body()));
      return 1;
    }
    if (table) {
      for (JsonNode i : answer.path("incidents")) {
        out.printf("%-10s %-12s %-8s %-20s %s%n", i.path("id").asText(),
            i.path("state").asText(), i.path("severity").asText(), i.path("origin").asText(),
            i.path("title").asText());
      }
    } else {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    }
    return 0;
  }

  /** The TLS options loaded as the gateway's client settings; null when none was given. */
  private ClientTls loadTls() {
    if (caCert == null && cert == null && key == null) {
      return null;
    }
    TlsClientSettings s = new TlsClientSettings();
    s.caFile = caCert == null ? "" : caCert;
    s.certFile = cert == null ? "" : cert;
    s.keyFile = key == null ? "" : key;
    s.validate("tls");
    return s.load("tls");
  }

  ObjectNode body() {
    ObjectNode n = JSON.createObjectNode();
    if (by != null && !by.isEmpty()) {
      n.put("by", by);
    }
    return n;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Command(name = "list", description = "List incidents, most recently updated first.")
  static final class ListCmd implements Callable<Integer> {
    @ParentCommand IncidentsCli cli;
    @Option(names = "--state", description = "open, acknowledged, resolved or reopened")
    String state = "";
    @Option(names = "--service") String service = "";
    @Option(names = "--since", description = "an instant (2026-01-01T00:00:00Z) or 1h, 30m...")
    String since = "";
    @Option(names = "--json", description = "print the API's JSON instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return cli.call("GET", "/api/incidents?state=" + enc(state) + "&service=" + enc(service)
          + "&since=" + enc(since), null, !json);
    }
  }

  @Command(name = "show", description = "Show one incident with its evidence and timeline.")
  static final class ShowCmd implements Callable<Integer> {
    @ParentCommand IncidentsCli cli;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() throws Exception {
      return cli.call("GET", "/api/incidents/" + enc(id), null, false);
    }
  }

  @Command(name = "ack", description = "Acknowledge an incident.")
  static final class AckCmd implements Callable<Integer> {
    @ParentCommand IncidentsCli cli;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--note") String note;

    @Override
    public Integer call() throws Exception {
      ObjectNode b = cli.body();
      if (note != null) {
        b.put("note", note);
      }
      return cli.call("POST", "/api/incidents/" + enc(id) + "/acknowledge", b, false);
    }
  }

  @Command(name = "resolve", description = "Resolve an incident with a cause category and note.")
  static final class ResolveCmd implements Callable<Integer> {
    @ParentCommand IncidentsCli cli;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--category", required = true) String category;
    @Option(names = "--note", required = true) String note;

    @Override
    public Integer call() throws Exception {
      return cli.call("POST", "/api/incidents/" + enc(id) + "/resolve",
          cli.body().put("category", category).put("note", note), false);
    }
  }

  @Command(name = "reopen", description = "Reopen a resolved incident.")
  static final class ReopenCmd implements Callable<Integer> {
    @ParentCommand IncidentsCli cli;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--note") String note;

    @Override
    public Integer call() throws Exception {
      ObjectNode b = cli.body();
      if (note != null) {
        b.put("note", note);
      }
      return cli.call("POST", "/api/incidents/" + enc(id) + "/reopen", b, false);
    }
  }
}
