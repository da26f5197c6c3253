package io.vigil.exporter.incidents.minilm;

import io.vigil.core.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code MiniLmCli train}: trains the {@code minilm} classifier and recommender on a knowledge
 * base once and writes them to a directory, for {@code knowledge_base::model}, so that the
 * gateway loads them at start instead of training (seconds of CPU per start, on every replica).
 * Exit code 0 on success, 1 when the file cannot be used (the message says why), 2 for bad usage.
 */
@Command(name = "vigil-incidents-minilm", mixinStandardHelpOptions = true,
    description = "Train the incidents exporter's minilm classifier and recommender.",
    subcommands = {MiniLmCli.Train.class})
public final class MiniLmCli {

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new MiniLmCli()).setOut(out).setErr(err).execute(args);
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Train on past incidents (post-mortem JSON Lines) and save the models.")
  static final class Train implements Callable<Integer> {
    @Option(names = "--knowledge-base", required = true,
        description = "JSON Lines of past incidents, as knowledge_base::path takes.")
    Path knowledgeBase;

    @Option(names = "--out", required = true,
        description = "Directory to write causes.json and recommender.json to.")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      try {
        TrainedModels m = TrainedModels.train(knowledgeBase);
        m.save(out);
        o.printf("trained on %s: %d incidents, causes %s%nwrote %s and %s in %s%n"
            + "use it with:  knowledge_base: {model: %s}%n", knowledgeBase,
            m.recommender().history().size(), m.causes().labels(), TrainedModels.CAUSES_FILE,
            TrainedModels.RECOMMENDER_FILE, out, out);
        return 0;
      } catch (ConfigException e) {
        // Said as the option, not the config key: here the file came from --knowledge-base.
        spec.commandLine().getErr().println("Error: --knowledge-base: " + e.problem());
        return 1;
      }
    }
  }

}
