package io.vigil.bench;

import io.vigil.bench.agent.AgentOverhead;
import io.vigil.bench.load.LoadDriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar benchmarks/target/vigil-benchmarks.jar load|agent|jmh ...} */
@Command(name = "vigil-benchmarks", mixinStandardHelpOptions = true,
    subcommands = {LoadDriver.class, AgentOverhead.class})
public final class Benchmarks implements Runnable {

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      org.openjdk.jmh.Main.main(rest);
      return;
    }
    System.exit(new CommandLine(new Benchmarks()).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
