package org.tuninglab.track.slurm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-node Slurm cluster on loopback for tests (PLATFORM.md's recipe): a private munged
 * with a fresh key, slurmctld and slurmd with state in a temp folder, no systemd or cgroups. A
 * cluster left over by an earlier, killed test run is stopped before the folder is wiped. Skips
 * when Slurm or munge is absent, except under {@code CI=true}, where that is a failure.
 */
final class LoopbackSlurm implements AutoCloseable {

  private static final Path BASE = Path.of(System.getProperty("java.io.tmpdir"), "tuninglab-slurm-test");
  private static final List<String> PID_FILES = List.of("slurmctld.pid", "slurmd.pid", "munged.pid");

  private final Path conf;

  private LoopbackSlurm(Path conf) {
    this.conf = conf;
  }

  /** The environment every Slurm client command needs. */
  Map<String, String> env() {
    return Map.of("SLURM_CONF", conf.toString());
  }

  /** {@code env SLURM_CONF=... sbatch}, for {@link LaunchConfig#sbatchCommand()}. */
  List<String> sbatch() {
    return List.of("env", "SLURM_CONF=" + conf, "sbatch");
  }

  static LoopbackSlurm startOrSkip() throws Exception {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("slurmctld", "slurmd", "munged", "sbatch", "scontrol", "sinfo", "scancel")) {
      if (which(tool) == null) {
        missing.add(tool);
      }
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!missing.isEmpty() || !root) {
      String why = !missing.isEmpty()
          ? "Slurm test skipped: " + missing + " not found (apt-get install slurm-wlm munge)"
          : "Slurm test skipped: the loopback cluster runs slurmd, which needs root";
      if ("true".equals(System.getenv("CI"))) {
        fail(why.replace("skipped", "cannot run on CI"));
      }
      Assumptions.abort(why);
    }
    stopLeftovers();
    wipe(BASE);
    Files.createDirectories(BASE.resolve("state"));
    Files.createDirectories(BASE.resolve("spool"));
    Path sock = Files.createDirectories(BASE.resolve("munge"));
    Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path key = BASE.resolve("munge.key");
    byte[] bytes = new byte[1024];
    new SecureRandom().nextBytes(bytes);
    Files.write(key, bytes);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    Path socket = sock.resolve("munge.socket");
    run(Map.of(), which("munged"), "--force", "--socket=" + socket, "--key-file=" + key,
        "--pid-file=" + BASE.resolve("munged.pid"), "--log-file=" + BASE.resolve("munged.log"),
        "--seed-file=" + BASE.resolve("munged.seed"));

    Matcher mem = Pattern.compile("RealMemory=(\\d+)").matcher(run(Map.of(), which("slurmd"), "-C"));
    long realMemory = mem.find() ? Long.parseLong(mem.group(1)) : 1024;
    int cpus = Runtime.getRuntime().availableProcessors();
    int[] ports = freePorts();
    Path conf = BASE.resolve("slurm.conf");
    Files.writeString(conf, String.join("\n",
        "ClusterName=tuninglab-test",
        "SlurmctldHost=localhost",
        "SlurmctldPort=" + ports[0],
        "SlurmdPort=" + ports[1],
        "AuthType=auth/munge",
        "CredType=cred/munge",
        "AuthInfo=socket=" + socket + ",cred_expire=10",
        "SlurmUser=root",
        "SlurmdUser=root",
        "StateSaveLocation=" + BASE.resolve("state"),
        "SlurmdSpoolDir=" + BASE.resolve("spool"),
        "SlurmctldPidFile=" + BASE.resolve("slurmctld.pid"),
        "SlurmdPidFile=" + BASE.resolve("slurmd.pid"),
        "SlurmctldLogFile=" + BASE.resolve("slurmctld.log"),
        "SlurmdLogFile=" + BASE.resolve("slurmd.log"),
        "SlurmdParameters=config_overrides",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "JobCompType=jobcomp/filetxt",
        "JobCompLoc=" + BASE.resolve("jobcomp.txt"),
        "SelectType=select/cons_tres",
        "SchedulerParameters=bf_interval=1,sched_interval=2",
        "MpiDefault=none",
        "ReturnToService=2",
        "NodeName=localhost NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + realMemory + " State=UNKNOWN",
        "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
        ""));
    LoopbackSlurm slurm = new LoopbackSlurm(conf);
    try {
      run(slurm.env(), which("slurmctld"));
      run(slurm.env(), which("slurmd"), "-N", "localhost");
      for (int i = 0; i < 300; i++) {
        String state = run(slurm.env(), which("sinfo"), "-h", "-o", "%T").strip();
        if (state.equals("idle")) {
          return slurm;
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("loopback Slurm never became idle; see " + BASE + "/*.log");
    } catch (Exception | AssertionError e) {
      slurm.close();
      throw e;
    }
  }

  /** Runs a Slurm client command against this cluster, returning its output. */
  String client(String tool, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(which(tool)));
    cmd.addAll(List.of(args));
    return run(env(), cmd.toArray(String[]::new));
  }

  @Override
  public void close() {
    List<ProcessHandle> daemons = daemons();
    try {
      run(env(), which("scancel"), "--user=root");
    } catch (IllegalStateException e) {
      // no controller: nothing to cancel
    }
    try {
      run(env(), which("scontrol"), "shutdown");
    } catch (IllegalStateException e) {
      // already down: the pids below are still waited for and killed
    }
    for (ProcessHandle p : daemons) {
      if (p.info().command().orElse("").contains("munged")) {
        continue;
      }
      awaitExit(p);
    }
    stepDaemons().forEach(LoopbackSlurm::kill);
    try {
      run(Map.of(), which("munged"), "--stop", "--socket=" + BASE.resolve("munge").resolve("munge.socket"));
    } catch (IllegalStateException e) {
      daemons.stream().filter(p -> p.info().command().orElse("").contains("munged")).forEach(LoopbackSlurm::awaitExit);
    }
  }

  // A slurmstepd of a step ended by a requeue can outlive slurmd; ours run in our folder.
  private static List<ProcessHandle> stepDaemons() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("slurmstepd")).orElse(false)
            || p.info().commandLine().map(c -> c.startsWith("slurmstepd")).orElse(false))
        .filter(p -> {
          try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")).startsWith(BASE);
          } catch (IOException | UnsupportedOperationException e) {
            return false;
          }
        })
        .toList();
  }

  // slurmstepd ignores SIGTERM while it waits to report to a slurmd that is gone.
  private static void kill(ProcessHandle p) {
    p.destroyForcibly();
    awaitExit(p);
  }

  private static void stop(ProcessHandle p) {
    p.destroy();
    awaitExit(p);
  }

  // Daemons of an earlier run, found only through our own pid files and checked by name.
  private static void stopLeftovers() {
    daemons().forEach(LoopbackSlurm::stop);
    stepDaemons().forEach(LoopbackSlurm::kill);
  }

  private static List<ProcessHandle> daemons() {
    List<ProcessHandle> out = new ArrayList<>();
    for (String f : PID_FILES) {
      try {
        long pid = Long.parseLong(Files.readString(BASE.resolve(f)).strip());
        ProcessHandle.of(pid)
            .filter(p -> p.info().command().map(c -> c.contains("slurm") || c.contains("munge")).orElse(false))
            .ifPresent(out::add);
      } catch (IOException | NumberFormatException e) {
        // no such daemon
      }
    }
    return out;
  }

  private static void awaitExit(ProcessHandle p) {
    try {
      p.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
    }
  }

  private static String run(Map<String, String> env, String... cmd) throws IllegalStateException {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", cmd) + " could not start: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String which(String tool) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  // Free ports instead of 6817/6818, so a developer's own Slurm (or a parallel build) is no obstacle.
  private static int[] freePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }

  private static void wipe(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
