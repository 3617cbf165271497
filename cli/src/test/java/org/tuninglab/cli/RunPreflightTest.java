package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose output folder cannot be written, or whose data file is missing, fails before it
 * starts, with a message that says what is wrong.
 */
class RunPreflightTest {
  @TempDir Path tmp;

  private Path config(String name, String template) throws IOException {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Path file = Files.writeString(tmp.resolve("taken"), "a file, not a folder");
    String text = Files.readString(repo.resolve("configs").resolve(template))
        .replace("../", repo + "/")
        .replaceAll("(?m)^output_dir: .*$", "output_dir: " + file);
    return Files.writeString(tmp.resolve(name), text);
  }

  @Test
  void pretrainRefusesAnOutputDirThatIsAFile() throws IOException {
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    assertEquals(2, CliRun.run(err, "pretrain", config("p.yaml", "tuninglab-stories-pretrain.yaml").toString()));
    assertTrue(err.toString().contains("output_dir " + tmp.resolve("taken") + " is a file"),
        err.toString());
    assertTrue((System.nanoTime() - start) / 1e9 < 30, "failed before training");
  }

  @Test
  void trainRefusesAnOutputDirThatIsAFile() throws IOException {
    StringWriter err = new StringWriter();
    assertEquals(2, CliRun.run(err, "train", config("t.yaml", "tuninglab-tiny-lora.yaml").toString()));
    assertTrue(err.toString().contains("output_dir " + tmp.resolve("taken") + " is a file"),
        err.toString());
  }

  @Test
  void aMissingDataFileIsSaidToBeNotFound() throws IOException {
    Path config = config("m.yaml", "tuninglab-tiny-lora.yaml");
    Files.writeString(config, Files.readString(config)
        .replaceAll("(?m)^train_file: .*$", "train_file: " + tmp.resolve("absent.jsonl"))
        .replaceAll("(?m)^output_dir: .*$", "output_dir: " + tmp.resolve("out")));
    StringWriter err = new StringWriter();
    assertEquals(2, CliRun.run(err, "train", config.toString()));
    assertTrue(err.toString().contains(tmp.resolve("absent.jsonl") + ": not found"),
        err.toString());
  }
}
