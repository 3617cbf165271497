package org.tuninglab.cli;

import picocli.CommandLine.Command;

/** {@code tuninglab kernel ...}: the Java Jupyter kernel. */
@Command(
    name = "kernel",
    description = "The Java Jupyter kernel.",
    mixinStandardHelpOptions = true,
    subcommands = {KernelInstallCommand.class})
final class KernelCommand {}
