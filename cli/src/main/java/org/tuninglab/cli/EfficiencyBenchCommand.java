package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tuninglab.bench.ParallelBenchmark;
import org.tuninglab.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench efficiency}: data, pipeline and tensor parallel measured and projected. */
@Command(name = "efficiency", mixinStandardHelpOptions = true,
    description = "Data, pipeline and tensor parallel training measured against one device (on the"
        + " engine's GPUs, or N CPU devices without one): loss and gradient equivalence, step"
        + " time, bytes per device, bytes moved, bubble; on the CPU also projected by the cost"
        + " model onto 2 x A100-40GB and 4 x H100-80GB over NVLink and PCIe.")
final class EfficiencyBenchCommand implements Callable<Integer> {
  @Option(names = "--cpus", defaultValue = "2",
      description = "CPU devices to measure on when there is no GPU: 1, 2 or 4 (default ${DEFAULT-VALUE})")
  int cpus;

  @Option(names = "--config", defaultValue = "configs/models/qwen2.5-0.5b.json",
      description = "the model config.json to project (default ${DEFAULT-VALUE})")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (cpus != 1 && cpus != 2 && cpus != 4) {
      // The measured model's 4 layers and 4 key/value heads split evenly over these.
      throw new IllegalArgumentException("--cpus must be 1, 2 or 4, got " + cpus);
    }
    ModelConfig model = ModelConfig.load(config);
    String name = config.getFileName().toString().replaceFirst("\\.json$", "");
    ParallelBenchmark.run(System.out, cpus, model, name);
    return 0;
  }
}
