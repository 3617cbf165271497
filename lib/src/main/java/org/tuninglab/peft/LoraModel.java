package org.tuninglab.peft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.PretrainedModel;

/**
 * LoRA adapters on the targeted projections of a frozen model.
 *
 * <p>A is initialised like PEFT (Kaiming-uniform with {@code a = sqrt(5)}, i.e. uniform in {@code
 * ±1/sqrt(in)}) and B to zero, so the adapted model starts equal to the base. Tensor names follow
 * PEFT's saved adapters: {@code base_model.model.<module path>.lora_A.weight}.
 */
public final class LoraModel implements AdaptedModel {
  /** PEFT's prefix before a module path in saved adapter tensor names. */
  public static final String PREFIX = "base_model.model.";

  /** Tensors of another shape an error names one by one; it counts the rest. */
  private static final int SHAPES_SHOWN = 3;

  private final LlamaModel model;
  private final LoraConfig config;
  private final MethodSpec method;
  private final NDManager manager;
  private final Map<String, LoraLinear> layers; // by module path, in model order
  private boolean enabled = true;
  private boolean unloaded;

  private LoraModel(
      LlamaModel model,
      LoraConfig config,
      MethodSpec method,
      NDManager manager,
      Map<String, LoraLinear> layers) {
    this.model = model;
    this.config = config;
    this.method = method;
    this.manager = manager;
    this.layers = layers;
  }

  /** Wraps the projections {@code config.targetModules()} selects with fresh adapters. */
  public static LoraModel apply(LlamaModel model, LoraConfig config) {
    return apply(model, config, MethodSpec.lora(config));
  }

  static LoraModel apply(LlamaModel model, LoraConfig config, MethodSpec method) {
    List<String> paths = LoraTargets.select(model.linearLayers().keySet(), config.targetModules());
    NDManager manager = model.manager().newSubManager();
    Map<String, NDArray[]> init = new LinkedHashMap<>();
    for (String path : paths) {
      LinearLayer base = model.linearLayers().get(path);
      init.put(
          path,
          new NDArray[] {
            kaimingUniform(manager, path, config, base.inFeatures()).toType(model.dtype(), false),
            manager.zeros(new Shape(base.outFeatures(), config.r()), model.dtype())
          });
    }
    return wrap(model, config, method, manager, init);
  }

  /** A {@code (r, in)}: uniform in ±1/sqrt(in), one seeded stream per module path. */
  private static NDArray kaimingUniform(NDManager manager, String path, LoraConfig config, int in) {
    SplittableRandom rng =
        new SplittableRandom(config.seed() ^ path.hashCode() * 0x9E3779B97F4A7C15L);
    float bound = (float) (1 / Math.sqrt(in));
    float[] data = new float[config.r() * in];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rng.nextDouble(-bound, bound);
    }
    return manager.create(data, new Shape(config.r(), in));
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    return model.forward(inputIds, attentionMask, cache);
  }

  @Override
  public List<NamedArray> trainableArrays() {
    List<NamedArray> arrays = new ArrayList<>();
    for (var e : layers.entrySet()) {
      arrays.add(new NamedArray(PREFIX + e.getKey() + ".lora_A.weight", e.getValue().loraA()));
      arrays.add(new NamedArray(PREFIX + e.getKey() + ".lora_B.weight", e.getValue().loraB()));
    }
    return arrays;
  }

  @Override
  public LlamaModel base() {
    return model;
  }

  @Override
  public void setTraining(boolean training) {
    layers.values().forEach(l -> l.setTraining(training));
  }

  @Override
  public MethodSpec method() {
    return method;
  }

  public LoraConfig config() {
    return config;
  }

  /** The adapted projections by module path. */
  public Map<String, LoraLinear> layers() {
    return layers;
  }

  /** Adds each update into its base weight: the forward pass then costs what the base's does. */
  public void merge() {
    layers.forEach((path, l) -> l.merge(path));
  }

  /** Takes the updates back out of the base weights. */
  public void unmerge() {
    layers.forEach((path, l) -> l.unmerge(path));
  }

  /** Turns the adapters back on (the default). */
  public void enableAdapters() {
    enabled = true;
    layers.values().forEach(l -> l.setEnabled(true));
  }

  /** Runs the base model alone; merged updates are taken out first, as PEFT does. */
  public void disableAdapters() {
    unmerge();
    enabled = false;
    layers.values().forEach(l -> l.setEnabled(false));
  }

  public boolean adaptersEnabled() {
    return enabled;
  }

  /**
   * Runs the base model alone until the returned scope closes, then restores the adapters as they
   * were: preference optimisation's reference model without a second copy of the weights.
   *
   * @return the scope; close it to turn the adapters back on
   */
  public AdaptersDisabled adaptersDisabled() {
    return new AdaptersDisabled(this);
  }

  /**
   * Writes {@code adapter_config.json} and {@code adapter_model.safetensors} in PEFT's format.
   *
   * @param baseModel the base model's Hub id or path, saved as {@code base_model_name_or_path}
   */
  public void save(Path dir, String baseModel) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    trainableArrays().forEach(a -> tensors.put(a.name(), a.array()));
    AdapterTensors.write(dir, tensors);
    List<String> targets =
        config.targetModules().contains(LoraConfig.ALL_LINEAR)
            ? LoraTargets.shortNames(layers.keySet())
            : config.targetModules();
    AdapterConfigFile.write(dir, config.toPeftJson(baseModel, targets));
  }

  /** Loads a PEFT LoRA adapter onto {@code model}; the adapter must fit its projections. */
  public static LoraModel load(Path dir, LlamaModel model) throws IOException {
    JsonNode json = AdapterConfigFile.read(dir);
    LoraConfig config =
        LoraConfig.fromPeftJson(json, dir.resolve(AdapterConfigFile.FILE).toString());
    return load(dir, model, config, MethodSpec.lora(config));
  }

  static LoraModel load(Path dir, LlamaModel model, LoraConfig config, MethodSpec method)
      throws IOException {
    NDManager manager = model.manager().newSubManager();
    try {
      return wrap(model, config, method, manager, readWeights(dir, model, config, manager));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Reads an adapter's A and B by module path into {@code manager}, in the model's dtype, after
   * checking that every tensor fits a projection of {@code model}.
   */
  static Map<String, NDArray[]> readWeights(
      Path dir, LlamaModel model, LoraConfig config, NDManager manager) throws IOException {
    Map<String, NDArray[]> weights =
        matchToModel(dir, model, config, AdapterTensors.read(dir, manager));
    for (NDArray[] ab : weights.values()) {
      for (int i = 0; i < 2; i++) {
        ab[i] = ab[i].toType(model.dtype(), false);
      }
    }
    return weights;
  }

  /** Adapters with the given A and B (owned by {@code manager}) on their module paths. */
  static LoraModel wrap(
      LlamaModel model,
      LoraConfig config,
      MethodSpec method,
      NDManager manager,
      Map<String, NDArray[]> weights) {
    // Dropout draws from the engine's generator: seed it so a run is reproducible.
    Engine.getInstance().setRandomSeed((int) config.seed());
    Map<String, LoraLinear> layers = new LinkedHashMap<>();
    Map<String, LinearLayer> bases = model.linearLayers();
    for (var e : weights.entrySet()) {
      NDArray a = e.getValue()[0];
      NDArray b = e.getValue()[1];
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      LoraLinear lora =
          new LoraLinear(bases.get(e.getKey()), a, b, config.scaling(), config.dropout());
      model.replaceLinear(e.getKey(), lora);
      layers.put(e.getKey(), lora);
    }
    return new LoraModel(model, config, method, manager, layers);
  }

  /** Pairs each lora_A/lora_B tensor with a projection of the model, collecting every mismatch. */
  private static Map<String, NDArray[]> matchToModel(
      Path dir, LlamaModel model, LoraConfig config, Map<String, NDArray> tensors)
      throws AdapterFormatException {
    Map<String, LinearLayer> bases = model.linearLayers();
    Map<String, NDArray[]> weights = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> shapes = new ArrayList<>();
    TreeSet<String> unknown = new TreeSet<>();
    for (var e : tensors.entrySet()) {
      String name = e.getKey();
      int slot = name.endsWith(".lora_A.weight") ? 0 : name.endsWith(".lora_B.weight") ? 1 : -1;
      if (slot < 0 || !name.startsWith(PREFIX)) {
        problems.add(
            "'"
                + name
                + "' is not a LoRA tensor ("
                + PREFIX
                + "<module>.lora_A.weight"
                + " or .lora_B.weight)");
        continue;
      }
      String path = name.substring(PREFIX.length(), name.length() - ".lora_A.weight".length());
      LinearLayer base = bases.get(path);
      if (base == null) {
        unknown.add(name);
        continue;
      }
      long[] expected =
          slot == 0
              ? new long[] {config.r(), base.inFeatures()}
              : new long[] {base.outFeatures(), config.r()};
      long[] actual = e.getValue().getShape().getShape();
      if (!Arrays.equals(expected, actual)) {
        shapes.add(
            "'"
                + name
                + "' has shape "
                + Arrays.toString(actual)
                + ", the model needs "
                + Arrays.toString(expected));
      }
      weights.computeIfAbsent(path, p -> new NDArray[2])[slot] = e.getValue();
    }
    // A base of other dimensions mismatches every tensor: the first few say which, a count the rest.
    problems.addAll(shapes.subList(0, Math.min(SHAPES_SHOWN, shapes.size())));
    if (shapes.size() > SHAPES_SHOWN) {
      problems.add("and " + (shapes.size() - SHAPES_SHOWN) + " more tensors of other shapes");
    }
    if (!unknown.isEmpty()) {
      problems.add(
          "no module of the model for "
              + unknown
              + "; the model's modules are like "
              + bases.keySet().iterator().next()
              + " with names "
              + LoraTargets.shortNames(bases.keySet()));
    }
    weights.forEach(
        (path, ab) -> {
          if (ab[0] == null || ab[1] == null) {
            problems.add(
                path
                    + ": has "
                    + (ab[0] == null ? "lora_B" : "lora_A")
                    + " but not "
                    + (ab[0] == null ? "lora_A" : "lora_B"));
          }
        });
    if (weights.isEmpty() && problems.isEmpty()) {
      problems.add("no LoRA tensors");
    }
    if (!problems.isEmpty()) {
      throw new AdapterFormatException(
          dir.resolve(AdapterTensors.FILE)
              + " does not fit this base model"
              + trainedOn(dir)
              + ": "
              + String.join("; ", problems));
    }
    return weights;
  }

  /**
   * {@code " (the adapter was trained on NAME)"} from {@code base_model_name_or_path}, or nothing
   * when the config does not say: a mismatch then names the base the adapter belongs to.
   */
  private static String trainedOn(Path dir) {
    try {
      JsonNode base = AdapterConfigFile.read(dir).get("base_model_name_or_path");
      return base != null && base.isTextual() && !base.asText().isBlank()
          ? " (the adapter was trained on " + base.asText() + ")"
          : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Unmerges, puts the base projections back and frees the adapters. */
  @Override
  public void save(Path dir, PretrainedModel pretrained, String baseModel) throws IOException {
    save(dir, baseModel);
  }

  /**
   * Adds each update into its base weight for good and frees the adapters (PEFT's {@code
   * merge_and_unload}): the decoder then is the fine-tuned model, for example an SFT model that
   * preference training starts from. This model must not be used afterwards.
   */
  public void mergeAndUnload() {
    merge();
    layers.forEach((path, l) -> model.replaceLinear(path, l.base()));
    manager.close();
    unloaded = true;
  }

  @Override
  public void close() {
    if (unloaded) {
      return;
    }
    unmerge();
    layers.forEach((path, l) -> model.replaceLinear(path, l.base()));
    manager.close();
  }
}
