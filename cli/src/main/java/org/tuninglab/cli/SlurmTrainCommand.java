package org.tuninglab.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.track.slurm.LaunchConfig;
import org.tuninglab.track.slurm.SbatchScript;
import org.tuninglab.track.slurm.SlurmLauncher;
import org.tuninglab.track.slurm.TrainScript;
import org.tuninglab.train.SftConfigFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tuninglab slurm train CONFIG --gpus a100:1 [--out FILE | --submit]}: the sbatch script of
 * a training run (module lines, HF cache on scratch, offline hub, CUDA libtorch, requeue-safe resume).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Write (--out FILE) or submit (--submit) an sbatch script that runs `tuninglab train CONFIG`.")
final class SlurmTrainCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "The recipe config (checked before the job is written).")
  Path config;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Action action;

  static final class Action {
    @Option(names = "--out", paramLabel = "FILE", description = "Write the script to FILE.")
    Path out;

    @Option(names = "--submit", description = "Write it under the config's output folder and run sbatch on it.")
    boolean submit;
  }

  @Option(names = "--gpus", paramLabel = "TYPE:N", description = "--gpus, e.g. a100:1, h100:1 or 1; none for a CPU job.")
  String gpus;

  @Option(names = "--partition", description = "--partition (default: the cluster's, work1 on Palmetto).")
  String partition;

  @Option(names = "--account", description = "--account, e.g. your workshop account.")
  String account;

  @Option(names = "--reservation", description = "--reservation.")
  String reservation;

  @Option(names = "--constraint", description = "--constraint, e.g. gpu_a100_80gb.")
  String constraint;

  @Option(names = "--time", defaultValue = "02:00:00", description = "Wall time (default: ${DEFAULT-VALUE}).")
  String time;

  @Option(names = "--mem", defaultValue = "32G", description = "--mem (default: ${DEFAULT-VALUE}).")
  String mem;

  @Option(names = "--cpus", defaultValue = "8", description = "CPUs (default: ${DEFAULT-VALUE}).")
  int cpus;

  @Option(names = "--module", paramLabel = "MODULE",
      description = "A module to load (repeatable; default: " + Defaults.JAVA_MODULE + ", Palmetto's Java 17).")
  List<String> modules;

  @Option(names = "--hf-home", defaultValue = "/scratch/$USER/hf_cache",
      description = "HF_HOME in the job; models must be downloaded there beforehand (default: ${DEFAULT-VALUE}).")
  String hfHome;

  @Option(names = "--djl-cache", defaultValue = "/scratch/$USER/djl",
      description = "DJL_CACHE_DIR in the job, where the CUDA libtorch was downloaded (default: ${DEFAULT-VALUE}).")
  String djlCache;

  @Option(names = "--torch", paramLabel = "cpu|cuda|DIR",
      description = "TUNINGLAB_TORCH in the job (default: cuda with --gpus, else cpu).")
  String torch;

  @Option(names = "--track", description = "Pass --track to train (the run store is on the shared filesystem).")
  boolean track;

  @Option(names = "--job-name", description = "Job name (default: tl-<config name>).")
  String jobName;

  @Option(names = "--setup", paramLabel = "LINE", description = "A further shell line before training (repeatable).")
  List<String> setup = new ArrayList<>();

  @Option(names = "--sbatch", paramLabel = "OPTION", description = "A further #SBATCH option (repeatable), e.g. --mail-type=END.")
  List<String> extra = new ArrayList<>();

  @Option(names = "--sbatch-command", paramLabel = "CMD", defaultValue = "sbatch",
      description = "The submit command, split on spaces (default: ${DEFAULT-VALUE}).")
  String sbatch;

  /** Values seen on Palmetto 2 (docs/gpu.md); options override them. */
  static final class Defaults {
    static final String JAVA_MODULE = "openjdk/17.0.8.1_1";
  }

  @Override
  public Integer call() throws Exception {
    var sft = SftConfigFile.load(config);
    for (String[] v : List.of(new String[] {"--hf-home", hfHome}, new String[] {"--djl-cache", djlCache})) {
      if (v[1].matches(".*[\"`\\\\\\n].*")) {
        throw new IllegalArgumentException(v[0] + " must not contain quotes, backquotes, backslashes or newlines: " + v[1]);
      }
    }
    Path checkout = checkout();
    Path outputDir = sft.trainer().outputDir().toAbsolutePath();
    String torchChoice = torch != null ? torch : gpus != null ? "cuda" : "cpu";
    String command = SbatchScript.quote(checkout.resolve("tuninglab").toString()) + " train "
        + SbatchScript.quote(config.toAbsolutePath().toString()) + (track ? " --track" : "");
    String base = config.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    LaunchConfig c = LaunchConfig.builder()
        .setWorkerCommand(command)
        .optGpus(gpus)
        .optPartition(partition)
        .optAccount(account)
        .optReservation(reservation)
        .optConstraint(constraint)
        .optTime(time)
        .optMem(mem)
        .optCpusPerTask(cpus)
        .optModules(modules != null ? modules : List.of(Defaults.JAVA_MODULE))
        .optSetup(java.util.stream.Stream.concat(java.util.stream.Stream.of(
            "export HF_HOME=\"" + hfHome + "\"",
            "export DJL_CACHE_DIR=\"" + djlCache + "\"",
            "export TUNINGLAB_TORCH=" + SbatchScript.quote(torchChoice)), setup.stream()).toList())
        .optExtraSbatch(extra)
        .optJobName(jobName != null ? jobName : "tl-" + base)
        .optSbatchCommand(List.of(sbatch.strip().split("\\s+")))
        .build();
    Path logs = outputDir.resolve("slurm");
    String text = TrainScript.render(c, checkout, logs, "train " + config + " (" + sft.method() + " on " + sft.model() + ")");
    Path script = action.out != null ? action.out.toAbsolutePath() : logs.resolve(base + ".sbatch");
    Files.createDirectories(script.getParent());
    Files.createDirectories(logs);
    AtomicFiles.write(script, text.getBytes(StandardCharsets.UTF_8));
    script.toFile().setExecutable(true);
    System.out.println("wrote " + script);
    if (action.submit) {
      String job = SlurmLauncher.submit(c.sbatchCommand(), script);
      System.out.println("submitted job " + job + "; log " + logs.resolve("slurm-" + job + ".out"));
    }
    return 0;
  }

  // The checkout: TUNINGLAB_HOME (the launcher sets it), else the folder above that holds the launcher.
  private static Path checkout() {
    String home = System.getenv("TUNINGLAB_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath();
    }
    List<Path> tried = new ArrayList<>();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      tried.add(p);
      if (Files.isRegularFile(p.resolve("tuninglab")) && Files.isDirectory(p.resolve("cli"))) {
        return p;
      }
    }
    throw new IllegalArgumentException("run this from the Tuning Lab checkout (no `tuninglab` launcher in " + tried + ")");
  }
}
