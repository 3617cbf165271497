package org.tuninglab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.track.slurm.LaunchConfig;
import org.tuninglab.track.slurm.SlurmLauncher;
import org.tuninglab.track.sweep.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tuninglab sweep launch NAME ...}: write and submit the sweep's sbatch array job. */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = "Write an sbatch array job (one trial per task) for a sweep and submit it to Slurm.")
public final class SweepLaunchCommand implements Callable<Integer> {

  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--array", defaultValue = "0", description = "Array tasks; default: the trials the sweep still needs.")
  int array;

  @Option(names = "--parallel", defaultValue = "0", description = "At most this many tasks at once (--array=...%%N).")
  int parallel;

  @Option(names = "--gpus", description = "e.g. a100:1, 1 (default: none).")
  String gpus;

  @Option(names = "--cpus", defaultValue = "4", description = "CPUs per task (default: ${DEFAULT-VALUE}).")
  int cpus;

  @Option(names = "--mem", defaultValue = "16G", description = "Memory per task (default: ${DEFAULT-VALUE}).")
  String mem;

  @Option(names = "--time", defaultValue = "01:00:00", description = "Wall time per task (default: ${DEFAULT-VALUE}).")
  String time;

  @Option(names = "--partition")
  String partition;

  @Option(names = "--account")
  String account;

  @Option(names = "--reservation")
  String reservation;

  @Option(names = "--constraint", description = "e.g. gpu_a100_80gb")
  String constraint;

  @Option(names = "--module", description = "module load this (repeatable).")
  List<String> modules = new ArrayList<>();

  @Option(names = "--setup", description = "A shell line before the worker starts (repeatable), e.g. 'export HF_HOME=/scratch/$USER/hf_cache'.")
  List<String> setup = new ArrayList<>();

  @Option(names = "--sbatch", description = "A further #SBATCH option (repeatable), e.g. --mail-type=END.")
  List<String> extra = new ArrayList<>();

  @Option(names = "--no-requeue", negatable = false, description = "Do not submit with --requeue.")
  boolean noRequeue;

  @Option(names = "--lease-seconds", defaultValue = "300")
  int leaseSeconds;

  @Option(names = "--worker-command", description = "Command that starts a worker (default: this launcher's 'sweep agent').")
  String workerCommand;

  @Option(names = "--dry-run", description = "Write and print the script, do not submit.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Sweep sweep = Sweep.open(store.open(), name);
    LaunchConfig config = LaunchConfig.builder()
        .setWorkerCommand(workerCommand != null ? workerCommand : defaultWorkerCommand())
        .optArraySize(array).optMaxParallel(parallel).optGpus(gpus).optCpusPerTask(cpus).optMem(mem)
        .optTime(time).optPartition(partition).optAccount(account).optReservation(reservation)
        .optConstraint(constraint).optModules(modules).optSetup(setup).optExtraSbatch(extra)
        .optRequeue(!noRequeue).optLeaseSeconds(leaseSeconds).build();
    SlurmLauncher.Launch launch = SlurmLauncher.launch(sweep, config, !dryRun);
    if (dryRun) {
      System.out.print(Files.readString(Path.of(launch.script())));
      System.out.println("# written to " + launch.script() + " (not submitted)");
    } else {
      System.out.printf("submitted job %s: %d task(s); script %s; logs %s%n", launch.jobId(), launch.tasks(),
          launch.script(), sweep.dir().resolve("logs"));
      System.out.println("follow with: ./tuninglab sweep status " + sweep.name() + " --store " + sweep.store().dir());
    }
    return 0;
  }

  // The ./tuninglab launcher beside cli/target/ when run from a checkout, else this very JVM's classpath.
  static String defaultWorkerCommand() {
    try {
      Path jar = Path.of(SweepLaunchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path launcher = jar.getParent().getParent().getParent().resolve("tuninglab");
      if (Files.isExecutable(launcher)) {
        return "'" + launcher + "' sweep agent";
      }
    } catch (Exception e) {
      // fall through to the plain java command
    }
    return "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
        + System.getProperty("java.class.path") + "' org.tuninglab.cli.TuningLab sweep agent";
  }
}
