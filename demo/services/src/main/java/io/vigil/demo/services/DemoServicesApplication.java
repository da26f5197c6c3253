package io.vigil.demo.services;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * One of the demo's four services, chosen by {@code vigil.demo.role}: each runs as its own JVM
 * under vigil-agent, with its own embedded database, so the agent sees what it sees in a real
 * shop — HTTP in, HTTP out, JDBC, logback.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DemoServicesApplication {

  public static void main(String[] args) {
    ParentWatch.exitWhenParentExits();
    SpringApplication.run(DemoServicesApplication.class, args);
  }
}
