package org.tuninglab.lesson;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tuninglab.io.AtomicFiles;
import org.tuninglab.train.DpoConfig;
import org.tuninglab.train.DpoConfigFile;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftConfigFile;

/**
 * The one switch at the top of a notebook: which model and which device every cell below uses.
 *
 * <pre>{@code
 * var lab = Lab.choose("embedded", "cpu");                          // the default: runs anywhere
 * var lab = Lab.choose("Qwen/Qwen2.5-0.5B-Instruct", "gpu");         // on a cluster's GPU node
 * }</pre>
 *
 * <p>The environment variables {@code TUNINGLAB_MODEL} and {@code TUNINGLAB_DEVICE}, when set,
 * override what the cell chose, so a batch run switches every notebook at once without editing
 * them. The lab also finds the checkout's presets, data and models from whichever folder the
 * notebook runs in (a solution in {@code notebooks/solutions/} as well as {@code notebooks/}).
 *
 * @param model {@link #EMBEDDED}, a model folder, or a Hugging Face model name
 * @param device {@code cpu}, {@code gpu} (the first GPU) or {@code gpu(N)}
 * @param root the checkout's root folder (the one holding {@code models/} and {@code configs/})
 */
public record Lab(String model, String device, Path root) {

  /** The model shipped with the workshop, in {@code models/tuninglab-tiny}. */
  public static final String EMBEDDED = "embedded";

  /** The environment variable naming one workshop run, set by the runner for every notebook and solution it executes. */
  public static final String WORKSHOP_RUN = "TUNINGLAB_WORKSHOP_RUN";

  static final String EMBEDDED_FOLDER = "models/tuninglab-tiny";
  private static final List<String> PATH_KEYS = List.of("model", "train_file", "eval_file", "output_dir");
  private static final ObjectMapper YAML = new YAMLMapper();

  /** Checks the choice. */
  public Lab {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model: expected \"" + EMBEDDED + "\", a model folder or a Hugging Face name like Qwen/Qwen2.5-0.5B-Instruct");
    }
    if (device == null || !device.matches("cpu|gpu(\\(\\d+\\))?")) {
      throw new IllegalArgumentException("device \"" + device + "\": expected cpu, gpu or gpu(N)");
    }
  }

  /**
   * The lab for this notebook: {@code model} and {@code device} unless {@code TUNINGLAB_MODEL} /
   * {@code TUNINGLAB_DEVICE} say otherwise; the checkout is found upwards from the working folder.
   */
  public static Lab choose(String model, String device) {
    return choose(model, device, System.getenv(), Path.of("").toAbsolutePath());
  }

  static Lab choose(String model, String device, Map<String, String> env, Path workingDir) {
    String m = env.getOrDefault("TUNINGLAB_MODEL", "").isBlank() ? model : env.get("TUNINGLAB_MODEL").strip();
    String d = env.getOrDefault("TUNINGLAB_DEVICE", "").isBlank() ? device : env.get("TUNINGLAB_DEVICE").strip();
    return new Lab(m, d.toLowerCase(Locale.ROOT), findRoot(workingDir));
  }

  /** The folder above {@code start} (or itself) holding {@code models/tuninglab-tiny} and {@code configs/}. */
  static Path findRoot(Path start) {
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(EMBEDDED_FOLDER)) && Files.isDirectory(p.resolve("configs"))) {
        return p;
      }
    }
    throw new IllegalStateException("no Tuning Lab checkout (a folder with " + EMBEDDED_FOLDER + " and configs/) at or above "
        + start.toAbsolutePath() + "; start Jupyter inside the checkout");
  }

  /** True for the shipped model. */
  public boolean embedded() {
    return model.equals(EMBEDDED);
  }

  /** What {@code LanguageModel.loadPretrained} takes: the embedded model's folder, or the chosen folder or Hub name. */
  public String modelPath() {
    return embedded() ? root.resolve(EMBEDDED_FOLDER).toString() : model;
  }

  /**
   * The DJL device; asking for a GPU where the engine sees none fails here, in the first cell,
   * rather than deep inside training.
   */
  public Device djlDevice() {
    if (device.equals("cpu")) {
      return Device.cpu();
    }
    int gpus = Engine.getInstance().getGpuCount();
    int index = device.equals("gpu") ? 0 : Integer.parseInt(device.substring(4, device.length() - 1));
    if (index >= gpus) {
      throw new IllegalStateException("device " + device + " was chosen but the engine sees " + gpus
          + " GPU(s): on a GPU node, load the CUDA build of libtorch (docs/gpu.md); elsewhere choose \"cpu\"");
    }
    return Device.gpu(index);
  }

  /** A file or folder of the checkout, e.g. {@code path("datasets/stories")}. */
  public Path path(String relative) {
    return root.resolve(relative);
  }

  /** The preset of {@code method} (full, lora, qlora, prompt) for the embedded model: {@code configs/tuninglab-tiny-METHOD.yaml}. */
  public Path preset(String method) {
    Path file = root.resolve("configs").resolve("tuninglab-tiny-" + method + ".yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no preset for method \"" + method + "\": expected " + file);
    }
    return file;
  }

  /**
   * A preset with some keys changed, written to {@code into} and loaded: the model is this lab's
   * (unless {@code overrides} names one), relative paths are made absolute, and {@code overrides}
   * replace the preset's keys (any key {@link SftConfigFile} reads, e.g. {@code lr},
   * {@code lora_r}, {@code max_steps}).
   *
   * @param preset a config file, e.g. {@link #preset(String)}
   * @param overrides keys to change
   * @param into the file to write
   * @return the config, as {@code ./tuninglab train into} would run it
   */
  public SftConfig config(Path preset, Map<String, ?> overrides, Path into) {
    return derive(preset, overrides, into, SftConfigFile::load);
  }

  /**
   * A DPO preset ({@code stage: dpo}) derived as {@link #config} derives a fine-tuning one. The
   * embedded model keeps the preset's starting model (its SFT); another model starts DPO from
   * itself (an instruct model has had its supervised tuning).
   *
   * @param preset a DPO config file, e.g. {@code path("configs/tuninglab-tiny-dpo-lora.yaml")}
   * @param overrides keys to change (any key {@link DpoConfigFile} reads, e.g. {@code beta})
   * @param into the file to write
   * @return the config, as {@code ./tuninglab train into} would run it
   */
  public DpoConfig dpoConfig(Path preset, Map<String, ?> overrides, Path into) {
    return derive(preset, overrides, into, DpoConfigFile::load);
  }

  /** How a derived file is read: a config file's {@code load}. */
  private interface ConfigReader<T> {
    T load(Path file) throws IOException;
  }

  private <T> T derive(Path preset, Map<String, ?> overrides, Path into, ConfigReader<T> reader) {
    Map<String, Object> keys = new LinkedHashMap<>();
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> read = YAML.readValue(preset.toFile(), Map.class);
      keys.putAll(read);
      Path base = preset.toAbsolutePath().getParent();
      for (String key : PATH_KEYS) {
        // A model is a folder, or a Hub name (which never starts with '.'); a folder may not exist yet (an SFT to come).
        if (keys.get(key) instanceof String s
            && !(key.equals("model") && !s.startsWith(".") && !Files.isDirectory(base.resolve(s)))) {
          keys.put(key, base.resolve(s).normalize().toString());
        }
      }
      if (!embedded()) {
        keys.put("model", model);
      }
      keys.putAll(overrides);
      Files.createDirectories(into.toAbsolutePath().getParent());
      AtomicFiles.writeString(into, "# " + preset + " with " + overrides + "\n" + YAML.writeValueAsString(keys));
      return reader.load(into);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot derive a config from " + preset + " into " + into + ": " + e.getMessage(), e);
    }
  }

  /** A new, empty folder under {@code runs/notebooks/}, named {@code name} and the time: each run of a notebook starts clean. */
  public Path freshFolder(String name) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    Path dir = root.resolve("runs").resolve("notebooks").resolve(name + "-" + stamp);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A folder under {@code runs/notebooks/} that a notebook and its worked solution share within
   * one workshop run: the runner ({@code ./tuninglab workshop}, the notebook test) names the run
   * in {@value #WORKSHOP_RUN}, and a cell that measures through {@link
   * FinetuneComparison#runOrReuse} then reuses in the solution what the notebook measured
   * minutes before. Without that variable (a participant's Jupyter) it is a {@link
   * #freshFolder}.
   */
  public Path sharedFolder(String name) {
    return sharedFolder(name, System.getenv(WORKSHOP_RUN));
  }

  Path sharedFolder(String name, String workshopRun) {
    if (workshopRun == null || workshopRun.isBlank()) {
      return freshFolder(name);
    }
    Path dir = sharedPath(name, workshopRun);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@link #sharedFolder} of {@code name} in this workshop run when an earlier notebook of the
   * run made it, e.g. notebook 03 reusing the LoRA run of notebook 02; nothing is created. Empty
   * outside a workshop run (a participant's Jupyter) and when no notebook made it.
   */
  public Optional<Path> earlierSharedFolder(String name) {
    return earlierSharedFolder(name, System.getenv(WORKSHOP_RUN));
  }

  Optional<Path> earlierSharedFolder(String name, String workshopRun) {
    if (workshopRun == null || workshopRun.isBlank()) {
      return Optional.empty();
    }
    Path dir = sharedPath(name, workshopRun);
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  private Path sharedPath(String name, String workshopRun) {
    if (!workshopRun.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(WORKSHOP_RUN + " \"" + workshopRun + "\": expected letters, digits, '.', '_' or '-'");
    }
    return root.resolve("runs").resolve("notebooks").resolve(name + "-workshop-" + workshopRun);
  }

  /** One line for the notebook: {@code model models/tuninglab-tiny (embedded) on cpu}. */
  @Override
  public String toString() {
    return "model " + (embedded() ? EMBEDDED_FOLDER + " (embedded)" : model) + " on " + device;
  }
}
