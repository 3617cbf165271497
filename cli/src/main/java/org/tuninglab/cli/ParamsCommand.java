package org.tuninglab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.peft.ParameterReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin MethodOptions method;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ModelConfig model = ModelConfig.load(config);
      ParameterReport report = ParameterReport.of(model, method.spec());
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
}
