package org.tuninglab.cli;

import java.util.concurrent.Callable;
import org.tuninglab.bench.MethodsBenchmark;
import org.tuninglab.bench.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench methods}: full fine-tuning, LoRA, QLoRA and prompt tuning side by side. */
@Command(name = "methods", mixinStandardHelpOptions = true,
    description = "Step time, memory, trainable parameters, base and optimizer bytes of full"
        + " fine-tuning, LoRA, QLoRA and prompt tuning on the same model and data.")
final class MethodsBenchCommand implements Callable<Integer> {
  @Option(names = "--batch", defaultValue = "8") int batch;
  @Option(names = "--seq-len", defaultValue = "128") int seqLen;
  @Option(names = "--steps", defaultValue = "5") int steps;
  @Option(names = "--warmup", defaultValue = "2") int warmup;
  @Option(names = "--r", defaultValue = "8", description = "LoRA rank on q_proj and v_proj.") int r;
  @Option(names = "--virtual-tokens", defaultValue = "20") int virtualTokens;
  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Interpreter with torch for the PyTorch reference of full fine-tuning and LoRA"
          + " (default: ${DEFAULT-VALUE}); 'none' skips it.")
  String python;

  @Override
  public Integer call() throws Exception {
    MethodsBenchmark.run(
        new MethodsBenchmark.Settings(
            ModelBenchmark.BENCH_CONFIG, batch, seqLen, steps, warmup, r, virtualTokens,
            "none".equals(python) ? null : python),
        System.out);
    return 0;
  }
}
