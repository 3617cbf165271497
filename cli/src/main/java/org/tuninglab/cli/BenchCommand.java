package org.tuninglab.cli;

import picocli.CommandLine.Command;

/** {@code tuninglab bench ...}: benchmarks, printed against their targets. */
@Command(
    name = "bench",
    description = "Benchmarks, printed with their targets.",
    mixinStandardHelpOptions = true,
    subcommands = {KernelBenchCommand.class})
final class BenchCommand {}
