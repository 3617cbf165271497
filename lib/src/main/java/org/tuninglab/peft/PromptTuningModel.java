package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Prompt tuning: {@code n} trainable embeddings go in front of every input's token embeddings; the
 * whole model stays frozen. The attention mask gains {@code n} ones in front, and the logits of the
 * virtual positions are dropped, so outputs line up with the inputs.
 */
public final class PromptTuningModel implements AdaptedModel {
  /** PEFT's tensor name in {@code adapter_model.safetensors}. */
  public static final String TENSOR = "prompt_embeddings";

  private final LlamaModel model;
  private final PromptTuningConfig config;
  private final NDManager manager;
  private final NDArray prompt; // (n, D)

  private PromptTuningModel(
      LlamaModel model, PromptTuningConfig config, NDManager manager, NDArray prompt) {
    this.model = model;
    this.config = config;
    this.manager = manager;
    this.prompt = prompt;
    prompt.setRequiresGradient(true);
  }

  /**
   * Fresh virtual tokens for {@code model}.
   *
   * @param tokenizer encodes the init text (with special tokens, as PEFT does); may be null unless
   *     the init is {@link PromptInit#TEXT}
   */
  public static PromptTuningModel create(
      LlamaModel model, PromptTuningConfig config, TextTokenizer tokenizer) {
    NDManager manager = model.manager().newSubManager();
    try {
      int n = config.numVirtualTokens();
      int d = model.config().hiddenSize();
      NDArray prompt;
      if (config.init() == PromptInit.RANDOM) {
        SplittableRandom rng = new SplittableRandom(config.seed());
        float[] data = new float[n * d];
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) rng.nextGaussian();
        }
        prompt = manager.create(data, new Shape(n, d)).toType(model.dtype(), false);
      } else {
        long[] ids =
            config.init() == PromptInit.TEXT
                ? textIds(config, tokenizer)
                : new SplittableRandom(config.seed())
                    .longs(n, 0, model.config().vocabSize())
                    .toArray();
        prompt = model.embed(manager.create(ids)).duplicate(); // (n, D)
      }
      return new PromptTuningModel(model, config, manager, prompt);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The init text's ids, cropped or repeated to the number of virtual tokens, as PEFT does. */
  private static long[] textIds(PromptTuningConfig config, TextTokenizer tokenizer) {
    if (tokenizer == null) {
      throw new IllegalArgumentException("prompt_tuning_init TEXT needs a tokenizer");
    }
    int[] text = tokenizer.encode(config.initText(), true);
    if (text.length == 0) {
      throw new IllegalArgumentException(
          "prompt_tuning_init_text '" + config.initText() + "' encodes to no tokens");
    }
    long[] ids = new long[config.numVirtualTokens()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = text[i % text.length];
    }
    return ids;
  }

  /** Loads a PEFT prompt-tuning adapter for {@code model}. */
  public static PromptTuningModel load(Path dir, LlamaModel model) throws IOException {
    int d = model.config().hiddenSize();
    PromptTuningConfig config =
        PromptTuningConfig.fromPeftJson(
            AdapterConfigFile.read(dir), d, dir.resolve(AdapterConfigFile.FILE).toString());
    NDManager manager = model.manager().newSubManager();
    try {
      Map<String, NDArray> tensors = AdapterTensors.read(dir, manager);
      NDArray prompt = tensors.get(TENSOR);
      long[] expected = {config.numVirtualTokens(), d};
      if (prompt == null) {
        throw new AdapterFormatException(
            dir.resolve(AdapterTensors.FILE)
                + ": no tensor '"
                + TENSOR
                + "'; it holds "
                + tensors.keySet());
      }
      if (!Arrays.equals(prompt.getShape().getShape(), expected)) {
        throw new AdapterFormatException(
            dir.resolve(AdapterTensors.FILE)
                + ": tensor '"
                + TENSOR
                + "' has shape "
                + prompt.getShape()
                + ", expected "
                + Arrays.toString(expected)
                + " (num_virtual_tokens, the model's hidden size)");
      }
      return new PromptTuningModel(model, config, manager, prompt.toType(model.dtype(), false));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Writes {@code adapter_config.json} and {@code adapter_model.safetensors} as PEFT does. */
  public void save(Path dir, String baseModel) throws IOException {
    AdapterTensors.write(dir, Map.of(TENSOR, prompt));
    AdapterConfigFile.write(dir, config.toPeftJson(baseModel, model.config()));
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    NDManager m = inputIds.getManager();
    int n = config.numVirtualTokens();
    NDArray inputs = model.embed(inputIds); // (B, t, D)
    long batch = inputs.getShape().get(0);
    // The virtual tokens lead the first pass; a cache holds them from then on.
    boolean withPrefix = cache == null || cache.length() == 0;
    if (withPrefix) {
      NDArray virtual =
          m.zeros(new Shape(batch, n, inputs.getShape().get(2)), inputs.getDataType())
              .add(prompt); // (B, n, D)
      inputs = NDArrays.concat(new NDList(virtual, inputs), 1); // (B, n + t, D)
    }
    NDArray mask = null;
    if (attentionMask != null) {
      NDArray ones = m.ones(new Shape(batch, n), attentionMask.getDataType()); // (B, n)
      mask = NDArrays.concat(new NDList(ones, attentionMask), 1); // (B, n + T)
    }
    NDArray logits = model.forwardEmbeddings(inputs, mask, cache); // (B, [n +] t, V)
    return withPrefix ? logits.get(":, " + n + ":") : logits; // (B, t, V)
  }

  /** The virtual-token embeddings {@code (n, D)}. */
  public NDArray promptEmbeddings() {
    return prompt;
  }

  public PromptTuningConfig config() {
    return config;
  }

  @Override
  public List<NamedArray> trainableArrays() {
    return List.of(new NamedArray(TENSOR, prompt));
  }

  @Override
  public LlamaModel base() {
    return model;
  }

  /** Prompt tuning has no dropout: nothing changes between training and evaluation. */
  @Override
  public void setTraining(boolean training) {}

  @Override
  public MethodSpec method() {
    return MethodSpec.promptTuning(config);
  }

  @Override
  public void save(Path dir, PretrainedModel pretrained, String baseModel) throws IOException {
    save(dir, baseModel);
  }

  @Override
  public void close() {
    manager.close();
  }
}
