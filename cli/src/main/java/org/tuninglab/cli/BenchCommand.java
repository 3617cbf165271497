package org.tuninglab.cli;

import java.util.concurrent.Callable;
import org.tuninglab.bench.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench ...}: the benchmarks, each printing ratios against its reference. */
@Command(
    name = "bench",
    description = "Run a benchmark; each prints ratios against a reference measured in the same run.",
    subcommands = {BenchCommand.Model.class})
public final class BenchCommand {

  @Command(name = "model", mixinStandardHelpOptions = true,
      description = "Training tokens/s vs PyTorch eager, and generation with vs without KV cache.")
  static final class Model implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "8") int batch;
    @Option(names = "--seq-len", defaultValue = "128") int seqLen;
    @Option(names = "--steps", defaultValue = "5") int steps;
    @Option(names = "--warmup", defaultValue = "2") int warmup;
    @Option(names = "--new-tokens", defaultValue = "256") int newTokens;
    @Option(names = "--python", defaultValue = "/usr/bin/python3",
        description = "Interpreter with torch for the reference (default: ${DEFAULT-VALUE}); 'none' skips it.")
    String python;

    @Override
    public Integer call() throws Exception {
      ModelBenchmark.run(
          new ModelBenchmark.Settings(batch, seqLen, steps, warmup, newTokens,
              "none".equals(python) ? null : python),
          System.out);
      return 0;
    }
  }
}
