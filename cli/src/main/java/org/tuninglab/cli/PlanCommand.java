package org.tuninglab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.parallel.ActivationInventory;
import org.tuninglab.parallel.ComputeDtype;
import org.tuninglab.parallel.GpuMemory;
import org.tuninglab.parallel.MemoryPlan;
import org.tuninglab.parallel.MemoryPlanner;
import org.tuninglab.parallel.OptimizerKind;
import org.tuninglab.parallel.PlanSettings;
import org.tuninglab.peft.ParameterReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuninglab plan ...}: a training step's memory on one GPU, from a config.json alone. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Weights, gradients, optimizer state, activations and workspace of a training step on one"
            + " GPU, and the largest micro-batch that fits, from a config.json alone.")
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      description = "The model's config.json (or its directory).")
  Path config;

  @Mixin MethodOptions method;

  @Option(
      names = "--dtype",
      defaultValue = "fp16",
      description = "fp32, fp16 or bf16 (mixed precision: float32 masters) (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(
      names = "--optimizer",
      defaultValue = "adamw",
      description = "adamw or sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--batch", defaultValue = "8", description = "Micro-batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--seq",
      defaultValue = "1024",
      description = "Tokens per sequence, padded (default: ${DEFAULT-VALUE}).")
  int seq;

  @Option(
      names = "--gpu",
      defaultValue = "a100-40gb",
      description =
          "v100-16gb, v100-32gb, a100-40gb, l40s, a100-80gb, h100-80gb, h200-141gb, or a size in"
              + " GiB (default: ${DEFAULT-VALUE}).")
  String gpu;

  @Option(
      names = "--checkpointing",
      description = "Activation checkpointing: keep layer inputs, recompute layers in backward.")
  boolean checkpointing;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Option(names = "--explain", description = "Also list the tensors behind the activations.")
  boolean explain;

  @Override
  public Integer call() throws IOException {
    PlanSettings settings =
        new PlanSettings(method.spec(), ComputeDtype.parse(dtype), OptimizerKind.parse(optimizer),
            batch, seq, checkpointing);
    GpuMemory memory = GpuMemory.parse(gpu);
    MemoryPlan plan = MemoryPlanner.plan(ModelConfig.load(config), settings, memory);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(plan.toJson().toString());
    } else {
      out.print(plan.format());
    }
    if (explain) {
      for (ActivationInventory.Entry e : plan.inventory().entries()) {
        out.printf(Locale.ROOT, "  %-9s %12s  %s%n", e.where(), ParameterReport.bytes(e.bytes()),
            e.tensors());
      }
    }
    out.flush();
    return 0;
  }
}
