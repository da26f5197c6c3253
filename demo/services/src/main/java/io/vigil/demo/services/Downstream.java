package io.vigil.demo.services;

import io.vigil.demo.services.fault.FaultInjector;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * HTTP calls to the other services. The JDK client is what the agent instruments and
 * propagates context through. A {@code dependency_outage} fault sends the call to a port where
 * nothing listens, so the failure is a real refused connection, not a simulated exception.
 */
@Component
public class Downstream {

  static final String UNREACHABLE = "http://127.0.0.1:1";

  private final DemoProperties props;
  private final FaultInjector faults;
  private final RestClient client;

  public Downstream(DemoProperties props, FaultInjector faults) {
    this.props = props;
    this.faults = faults;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
    factory.setReadTimeout(Duration.ofSeconds(10));
    this.client = RestClient.builder().requestFactory(factory).build();
  }

  public RestClient.RequestBodyUriSpec post(String dependency, String path) {
    RestClient.RequestBodyUriSpec spec = client.post();
    spec.uri(url(dependency) + path);
    return spec;
  }

  public RestClient.RequestHeadersSpec<?> get(String dependency, String path) {
    return client.get().uri(url(dependency) + path);
  }

  private String url(String dependency) {
    if (faults.isDown(dependency)) {
      return UNREACHABLE;
    }
    return switch (dependency) {
      case "orders" -> props.ordersUrl();
      case "inventory" -> props.inventoryUrl();
      case "payments" -> props.paymentsUrl();
      default -> throw new IllegalArgumentException("unknown dependency " + dependency);
    };
  }
}
