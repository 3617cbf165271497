package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sbatch script `slurm train` writes (the loopback-cluster run is SlurmTrainTest in lib). */
class SlurmTrainCommandTest {

  @TempDir Path tmp;

  private static final Path CONFIG = Path.of("").toAbsolutePath().getParent().resolve("configs/qwen2.5-0.5b-lora.yaml");

  @Test
  void writesAGpuJobWithModulesScratchCachesOfflineHubAndRequeue() throws Exception {
    Path out = tmp.resolve("job.sbatch");
    int code = TuningLab.commandLine().execute("slurm", "train", CONFIG.toString(), "--gpus", "a100:1",
        "--account", "cuuser_me_proj", "--constraint", "gpu_a100_80gb", "--time", "03:00:00", "--track", "--sbatch", "--mail-type=END",
        "--setup", "echo ready", "--out", out.toString());
    assertEquals(0, code);
    String s = Files.readString(out);
    for (String line : new String[] {"#!/bin/bash", "#SBATCH --job-name=tl-qwen2.5-0.5b-lora", "#SBATCH --open-mode=append",
        "#SBATCH --requeue", "#SBATCH --time=03:00:00", "#SBATCH --gpus=a100:1", "#SBATCH --account=cuuser_me_proj",
        "#SBATCH --constraint=gpu_a100_80gb", "#SBATCH --mem=32G", "#SBATCH --cpus-per-task=8",
        "unset SLURM_MEM_PER_CPU SLURM_MEM_PER_GPU", "module load openjdk/17.0.8.1_1",
        "export HF_HOME=\"/scratch/$USER/hf_cache\"", "export DJL_CACHE_DIR=\"/scratch/$USER/djl\"",
        "export TUNINGLAB_TORCH='cuda'", "export HF_HUB_OFFLINE=1", "#SBATCH --mail-type=END", "echo ready"}) {
      assertTrue(s.lines().anyMatch(line::equals), line + " missing:\n" + s);
    }
    assertTrue(s.contains("tuninglab' train '" + CONFIG + "' --track\n"), s);
    assertTrue(s.indexOf("unset SLURM_MEM_PER_CPU") < s.indexOf("exec "), s);
  }

  @Test
  void aCpuJobLoadsTheBundledBuildAndBadConfigsAreRefusedBeforeAnythingIsWritten() throws Exception {
    Path out = tmp.resolve("cpu.sbatch");
    assertEquals(0, TuningLab.commandLine().execute("slurm", "train", CONFIG.toString(), "--module", "java/17",
        "--out", out.toString()));
    String s = Files.readString(out);
    assertTrue(s.contains("export TUNINGLAB_TORCH='cpu'\n") && s.contains("module load java/17\n")
        && !s.contains("--gpus") && !s.contains("openjdk"), s);

    Path bad = Files.writeString(tmp.resolve("bad.yaml"), "method: lora\n");
    StringWriter err = new StringWriter();
    CommandLine cli = TuningLab.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertEquals(2, cli.execute("slurm", "train", bad.toString(), "--out", tmp.resolve("bad.sbatch").toString()));
    assertTrue(err.toString().contains("bad.yaml"), err.toString());
    assertTrue(Files.notExists(tmp.resolve("bad.sbatch")));
  }
}
