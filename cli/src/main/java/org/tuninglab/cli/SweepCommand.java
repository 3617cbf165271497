package org.tuninglab.cli;

import picocli.CommandLine.Command;

/** {@code tuninglab sweep ...}: create, run, launch on Slurm, and show hyperparameter sweeps. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "Hyperparameter sweeps kept in a run store folder (no network needed).",
    subcommands = {
      SweepCreateCommand.class,
      SweepShowCommand.class,
      SweepStatusCommand.class,
      SweepRunCommand.class,
      SweepLaunchCommand.class,
      SweepAgentCommand.class
    })
public final class SweepCommand {}
