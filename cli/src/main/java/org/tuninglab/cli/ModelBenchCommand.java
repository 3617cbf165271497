package org.tuninglab.cli;

import java.util.concurrent.Callable;
import org.tuninglab.bench.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench model}: training throughput vs PyTorch eager, and the KV cache's gain. */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Training tokens/s vs PyTorch eager, and generation with vs without KV cache.")
final class ModelBenchCommand implements Callable<Integer> {
  @Option(names = "--batch", defaultValue = "8") int batch;
  @Option(names = "--seq-len", defaultValue = "128") int seqLen;
  @Option(names = "--steps", defaultValue = "5") int steps;
  @Option(names = "--warmup", defaultValue = "2") int warmup;
  @Option(names = "--new-tokens", defaultValue = "256") int newTokens;
  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Interpreter with torch for the reference (default: ${DEFAULT-VALUE}); 'none' skips it.")
  String python;
  @Option(names = "--skip-large", description = "Skip the generation measurement on the ~63M-parameter model.")
  boolean skipLarge;

  @Override
  public Integer call() throws Exception {
    ModelBenchmark.run(
        new ModelBenchmark.Settings(batch, seqLen, steps, warmup, newTokens,
            "none".equals(python) ? null : python, !skipLarge),
        System.out);
    return 0;
  }
}
