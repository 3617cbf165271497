package org.tuninglab.cli;

import picocli.CommandLine.Command;

/** {@code tuninglab slurm ...}: batch jobs on a Slurm cluster. */
@Command(
    name = "slurm",
    description = "Write or submit Slurm batch jobs (sweeps: see `sweep launch`).",
    mixinStandardHelpOptions = true,
    subcommands = {SlurmTrainCommand.class})
final class SlurmCommand {}
