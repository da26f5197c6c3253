package io.vigil.testbed;

import io.vigil.testbed.agent.AgentOverhead;
import io.vigil.testbed.load.LoadDriver;
import io.vigil.testbed.load.TierLoad;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar testbed/target/vigil-testbed.jar load|tiers|agent ...}: the end-to-end runs. JMH
 * benchmarks live beside the code they measure (src/jmh/java of each module; testbed/jmh runs them).
 */
@Command(name = "vigil-testbed", mixinStandardHelpOptions = true,
    subcommands = {LoadDriver.class, TierLoad.class, AgentOverhead.class})
public final class Benchmarks implements Runnable {

  public static void main(String[] args) throws Exception {
    System.exit(new CommandLine(new Benchmarks()).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
