package org.tuninglab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.MethodSpec;
import org.tuninglab.peft.ParameterReport;
import org.tuninglab.peft.PromptTuningConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuninglab params ...}: parameter counts and training memory from a config.json alone. */
@Command(
    name = "params",
    mixinStandardHelpOptions = true,
    description =
        "Trainable / total parameters and memory of a method on a model, counted as"
            + " PEFT's print_trainable_parameters does, without loading weights.")
public final class ParamsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      description = "The model's config.json (or its directory).")
  Path config;

  @Option(
      names = "--method",
      defaultValue = "lora",
      description = "full, lora, qlora or prompt (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--r", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
  int r;

  @Option(
      names = "--alpha",
      description = "LoRA alpha (default: 2 r; it does not change the counts).")
  Double alpha;

  @Option(
      names = "--targets",
      split = ",",
      defaultValue = "q_proj,v_proj",
      description = "LoRA target modules, or all-linear (default: ${DEFAULT-VALUE}).")
  List<String> targets;

  @Option(
      names = "--virtual-tokens",
      defaultValue = "20",
      description = "Prompt tuning's virtual tokens (default: ${DEFAULT-VALUE}).")
  int virtualTokens;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ModelConfig model = ModelConfig.load(config);
      ParameterReport report = ParameterReport.of(model, methodSpec());
      out.println(report.format());
      out.println(report.toTable().print());
      out.flush();
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("params: " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  private MethodSpec methodSpec() {
    LoraConfig.Builder lora = LoraConfig.builder().setR(r).setTargetModules(targets);
    if (alpha != null) {
      lora.optAlpha(alpha);
    }
    if (!MethodSpec.NAMES.contains(method)) {
      throw new IllegalArgumentException(
          "--method must be full, lora, qlora or prompt, got '" + method + "'");
    }
    return MethodSpec.parse(
        method, lora.build(), PromptTuningConfig.builder().setNumVirtualTokens(virtualTokens).build());
  }
}
