package org.tuninglab.cli;

import picocli.CommandLine.Command;

/** {@code tuninglab bench ...}: the benchmarks, each printing ratios against its reference. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks, printing figures and ratios against references measured in the same run.",
    subcommands = {ModelBenchCommand.class, MethodsBenchCommand.class, FinetuneBenchCommand.class,
        KernelBenchCommand.class, TrackBenchCommand.class, ServeBenchCommand.class,
        RetrievalBenchCommand.class, RagBenchCommand.class, PlanBenchCommand.class,
        BatchBenchCommand.class, EfficiencyBenchCommand.class, DpoBenchCommand.class,
        LessonsBenchCommand.class, DataBenchCommand.class, HugePagesBenchCommand.class})
public final class BenchCommand {}
