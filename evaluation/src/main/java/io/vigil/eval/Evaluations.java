package io.vigil.eval;

import io.vigil.eval.loghub.LoghubEvaluation;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar evaluation/target/vigil-evaluation.jar loghub|...} */
@Command(name = "vigil-evaluation", mixinStandardHelpOptions = true,
    subcommands = {LoghubEvaluation.class, io.vigil.eval.nab.NabEvaluation.class,
        io.vigil.eval.incidents.IncidentsEvaluation.class,
        io.vigil.eval.faults.FaultIncidentsEvaluation.class, io.vigil.eval.ab.ThresholdABEvaluation.class,
        io.vigil.eval.faults.SimulatedResponder.class})
public final class Evaluations implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Evaluations()).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
