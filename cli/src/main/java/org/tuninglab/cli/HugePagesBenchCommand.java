package org.tuninglab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tuninglab.bench.HugePageBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab bench hugepages}: training steps with 4 KiB pages vs glibc's huge-page tunable. */
@Command(name = "hugepages", mixinStandardHelpOptions = true,
    description = "The same CPU training steps in child JVMs without and with GLIBC_TUNABLES=glibc.malloc.hugetlb=1,"
        + " started alternately: tokens/s, minor page faults/s, system-time share and the ratio.")
final class HugePagesBenchCommand implements Callable<Integer> {
  @Option(names = "--config", defaultValue = "models/tuninglab-tiny/config.json",
      description = "the model shape (config.json; random weights), default ${DEFAULT-VALUE}")
  Path config;

  @Option(names = "--batch", defaultValue = "8") int batch;
  @Option(names = "--seq-len", defaultValue = "1024",
      description = "tokens a sequence (default ${DEFAULT-VALUE}: the embedded model's pretraining context)")
  int seqLen;
  @Option(names = "--steps", defaultValue = "5") int steps;
  @Option(names = "--warmup", defaultValue = "2") int warmup;
  @Option(names = "--rounds", defaultValue = "2", description = "children per setting (default ${DEFAULT-VALUE})")
  int rounds;

  @Override
  public Integer call() throws Exception {
    HugePageBenchmark.run(new HugePageBenchmark.Settings(config, batch, seqLen, steps, warmup, rounds), System.out);
    return 0;
  }
}
