package org.tuninglab.cli;

import java.util.concurrent.Callable;
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

  @Override
  public Integer call() throws Exception {
    ServingBenchmark.run(
        new ServingBenchmark.Settings(prompts, maxTokens, rounds, clients), System.out);
    return 0;
  }
}
