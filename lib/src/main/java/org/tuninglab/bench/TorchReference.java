package org.tuninglab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.model.ModelConfig;

/**
 * The PyTorch eager side of the model and methods benchmarks: a Python process holding the same
 * model, which runs one training step each time it is asked and reports its seconds.
 */
final class TorchReference implements AutoCloseable {
  /**
   * A run of steps.
   *
   * @param description the torch version and threads
   * @param trainable the values its optimizer updates
   * @param medianSeconds the median step
   */
  record Measured(String description, long trainable, double medianSeconds) {}

  private static final String INSTALL = "apt-get install python3-torch libopenblas0-pthread";
  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final String description;
  private final long trainable;
  private final Path script;

  private TorchReference(Process process, Path script) throws IOException {
    this.process = process;
    this.script = script;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String first = readLine();
    JsonNode info = new ObjectMapper().readTree(first);
    this.description =
        "PyTorch " + info.path("torch").asText() + " eager, threads: " + info.path("threads").asInt();
    this.trainable = info.path("trainable").asLong(-1);
  }

  /** The model benchmark's step: forward and backward of every weight, no optimizer. */
  static TorchReference start(ModelBenchmark.Settings s, ModelConfig c, int threads) throws IOException {
    return start(s.python(), c, s.batch(), s.seqLen(), s.warmup(), threads, List.of());
  }

  /**
   * Starts the script and waits for its warm-up.
   *
   * @param python the interpreter, or null when the reference is disabled
   * @param options the script's options beyond the model's shape, batch, warm-up and threads
   *     ({@code --method}, {@code --lora-r}, {@code --optimizer}, {@code --lr})
   * @throws IOException if it is disabled, the interpreter is missing, or the script ends early
   */
  static TorchReference start(
      String python, ModelConfig c, int batch, int seqLen, int warmup, int threads,
      List<String> options) throws IOException {
    if (python == null) {
      throw new IOException("disabled");
    }
    Path script = Files.createTempFile("pytorch_llama_step", ".py");
    try (InputStream res = TorchReference.class.getResourceAsStream("pytorch_llama_step.py")) {
      Files.copy(res, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command =
        new ArrayList<>(List.of(
            python, script.toString(), "--vocab", "" + c.vocabSize(), "--dim", "" + c.hiddenSize(),
            "--ffn", "" + c.intermediateSize(), "--layers", "" + c.numLayers(), "--heads",
            "" + c.numHeads(), "--kv-heads", "" + c.numKvHeads(), "--batch", "" + batch, "--seq",
            "" + seqLen, "--warmup", "" + warmup, "--threads", "" + threads));
    command.addAll(options);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      Files.deleteIfExists(script);
      throw new IOException(python + " not found (" + INSTALL + ")");
    }
    try {
      return new TorchReference(p, script);
    } catch (IOException e) {
      p.destroyForcibly();
      Files.deleteIfExists(script);
      throw e;
    }
  }

  String description() {
    return description;
  }

  /** The values its optimizer updates, as the script counted them (-1 if it did not say). */
  long trainable() {
    return trainable;
  }

  /** Runs one step in the Python process; returns its seconds. */
  double step() throws IOException {
    in.println("step");
    try {
      return Double.parseDouble(readLine());
    } catch (NumberFormatException e) {
      throw new IOException("the PyTorch script answered something other than a time: " + e.getMessage());
    }
  }

  /**
   * The next line that carries an answer (a JSON object or a number); warnings the interpreter
   * prints on the merged stream are skipped, and the last of them explains an early exit.
   */
  private String readLine() throws IOException {
    String noise = "";
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      String t = line.strip();
      if (t.startsWith("{") || t.matches("[0-9.eE+-]+")) {
        return t;
      }
      noise = t.isEmpty() ? noise : t;
    }
    throw new IOException(
        "the PyTorch script ended early (" + (noise.isEmpty() ? "no output" : noise) + "); it needs "
            + INSTALL);
  }

  @Override
  public void close() throws IOException {
    in.close();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(script);
    }
  }
}
