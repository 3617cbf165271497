package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tuninglab.bench.AbuseBenchmark;
import org.tuninglab.bench.ServingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench serve}: generation in-process vs through the HTTP server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Greedy tokens/s in-process vs through the OpenAI-compatible server on loopback"
        + " (plain, streamed, concurrent clients), interleaved in one run.")
final class ServeBenchCommand implements Callable<Integer> {
  @Option(names = "--prompts", defaultValue = "8") int prompts;
  @Option(names = "--max-tokens", defaultValue = "64") int maxTokens;
  @Option(names = "--rounds", defaultValue = "3") int rounds;
  @Option(names = "--clients", defaultValue = "4") int clients;
  @Option(names = "--abuse", description = "Instead: small-request latency alone and under 16 slow"
      + " clients plus maximal prompts, correctness after, RSS (loopback, bounded).")
  boolean abuse;
  @Option(names = "--model", defaultValue = "models/tuninglab-tiny",
      description = "Model served with --abuse (default: ${DEFAULT-VALUE}).")
  Path model;

  @Override
  public Integer call() throws Exception {
    if (abuse) {
      AbuseBenchmark.run(new AbuseBenchmark.Settings(model, 16, 200, 8), System.out);
      return 0;
    }
    ServingBenchmark.run(
        new ServingBenchmark.Settings(prompts, maxTokens, rounds, clients), System.out);
    return 0;
  }
}
