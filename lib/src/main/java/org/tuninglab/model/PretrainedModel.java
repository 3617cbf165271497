package org.tuninglab.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tuninglab.checkpoint.Checkpoint;
import org.tuninglab.checkpoint.CheckpointWriter;
import org.tuninglab.checkpoint.FloatTensor;
import org.tuninglab.checkpoint.Fp16Tensor;
import org.tuninglab.checkpoint.SavedTensor;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.HfTokenizer;
import org.tuninglab.tokenize.TextTokenizer;
import org.tuninglab.tokenize.TokenizerCheck;

/**
 * A model directory in Hugging Face layout brought to life: the decoder on a device, its tokenizer
 * and chat template. It knows neither the network nor generation: to load by Hub name and talk to
 * a model in one line, use {@code org.tuninglab.generate.LanguageModel}; to decode, {@code
 * org.tuninglab.generate.Generator}.
 */
public final class PretrainedModel implements AutoCloseable {
  /** Tokenizer and template files copied along when a model is saved. */
  private static final List<String> TOKENIZER_FILES =
      List.of(
          "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
          "generation_config.json", "chat_template.jinja", "chat_template.json");

  private final Path directory;
  private final LlamaModel model;
  private final TextTokenizer tokenizer;
  private final ChatTemplate chatTemplate;

  private PretrainedModel(Path directory, LlamaModel model, TextTokenizer tokenizer, ChatTemplate chatTemplate) {
    this.directory = directory;
    this.model = model;
    this.tokenizer = tokenizer;
    this.chatTemplate = chatTemplate;
  }

  /** Loads a model directory: config.json, safetensors weights, tokenizer.json. */
  public static PretrainedModel load(Path dir, Device device, DataType dtype) throws IOException {
    ModelConfig saved = ModelConfig.load(dir);
    return load(dir, saved, saved, null, device, dtype);
  }

  /**
   * Loads a model directory to be trained further at another context length and, with more layers
   * than it has, at a greater depth. Its weights fit any length ({@link
   * ModelConfig#withMaxPositions}); a deeper model grows by {@link DepthExpansion}, computing at
   * first exactly what the saved one does. The model it saves records the new shape.
   *
   * @param contextLength the context to train at
   * @param numLayers the saved model's layer count or a multiple of it
   * @param newLayers the weights of new layers other than their zero output projections; unused
   *     when the depth stays
   */
  public static PretrainedModel loadToContinue(
      Path dir, int contextLength, int numLayers, WeightSource newLayers, Device device,
      DataType dtype) throws IOException {
    ModelConfig saved = ModelConfig.load(dir);
    ModelConfig config = saved.withMaxPositions(contextLength).withNumLayers(numLayers);
    return load(dir, saved, config, newLayers, device, dtype);
  }

  private static PretrainedModel load(
      Path dir, ModelConfig saved, ModelConfig config, WeightSource newLayers, Device device,
      DataType dtype) throws IOException {
    HfTokenizer tokenizer = HfTokenizer.load(dir);
    try {
      TokenizerCheck.requireFits(tokenizer, config.vocabSize(), dir.resolve("tokenizer.json"));
      ChatTemplate template = ChatTemplate.fromModelDir(dir).orElse(null);
      LlamaModel model;
      try (Checkpoint checkpoint = Checkpoint.open(dir)) {
        requireLayerCount(saved, checkpoint, dir);
        WeightSource weights = checkpointWeights(checkpoint, dir);
        if (config.numLayers() != saved.numLayers()) {
          weights = new DepthExpansion(weights, saved.numLayers(), config.numLayers(), newLayers);
        }
        model = LlamaModel.create(config, weights, device, dtype);
      }
      return new PretrainedModel(dir, model, tokenizer, template);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /**
   * The layer count is the one config size that no single tensor's shape checks, and the model
   * sizes its tables by it before reading a weight: a wrong {@code num_hidden_layers} (a typo, a
   * hostile file) must fail here, not after gigabytes or with an OutOfMemoryError.
   */
  static void requireLayerCount(ModelConfig config, Checkpoint checkpoint, Path dir)
      throws ModelFormatException {
    String prefix = "model.layers."; // LlamaWeights.layerModule without the layer
    int layers = 0;
    for (String name : checkpoint.names()) {
      if (name.startsWith(prefix)) {
        int end = name.indexOf('.', prefix.length());
        String index = end < 0 ? "" : name.substring(prefix.length(), end);
        if (!index.isEmpty() && index.chars().allMatch(Character::isDigit) && index.length() < 10) {
          layers = Math.max(layers, Integer.parseInt(index) + 1);
        }
      }
    }
    if (layers != config.numLayers()) {
      throw new ModelFormatException(
          dir.resolve("config.json") + ": num_hidden_layers is " + config.numLayers()
              + " but the checkpoint's weights hold " + layers + " layers (" + prefix + "0 to "
              + prefix + (layers - 1) + ")");
    }
  }

  /**
   * Reads tensors from a checkpoint, checking each against the shape the config calls for; an
   * fp16 model gets each tensor's bytes as fp16 without a float32 copy.
   */
  static WeightSource checkpointWeights(Checkpoint checkpoint, Path dir) {
    return new WeightSource() {
      @Override
      public float[] read(String name, long[] shape) throws ModelFormatException {
        check(name, shape);
        return checkpoint.readFloats(name);
      }

      @Override
      public short[] readFp16(String name, long[] shape) throws ModelFormatException {
        check(name, shape);
        return checkpoint.readFp16Bits(name);
      }

      private void check(String name, long[] shape) throws ModelFormatException {
        if (!checkpoint.names().contains(name)) {
          throw new ModelFormatException(
              dir + ": the checkpoint has no tensor '" + name + "' that config.json calls for");
        }
        long[] actual = checkpoint.shape(name);
        if (!java.util.Arrays.equals(actual, shape)) {
          throw new ModelFormatException(
              dir + ": tensor '" + name + "' has shape " + java.util.Arrays.toString(actual)
                  + " but config.json calls for " + java.util.Arrays.toString(shape));
        }
      }
    };
  }

  /** Wraps a model built in code (random init, llama2.c import) with a tokenizer. */
  public static PretrainedModel of(LlamaModel model, TextTokenizer tokenizer, ChatTemplate template) {
    return new PretrainedModel(null, model, tokenizer, template);
  }

  public LlamaModel model() {
    return model;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public Optional<ChatTemplate> chatTemplate() {
    return Optional.ofNullable(chatTemplate);
  }

  /** The directory it was loaded from, if any. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** The token ids of a conversation rendered with the generation prompt appended. */
  public int[] encodeChat(List<ChatMessage> messages) {
    if (chatTemplate == null) {
      throw new IllegalStateException(
          (directory == null ? "this model" : directory.toString())
              + " has no chat template (tokenizer_config.json 'chat_template' or"
              + " chat_template.jinja); use complete() with plain text");
    }
    // The template writes any BOS itself, so the tokenizer must not add another.
    return tokenizer.encode(chatTemplate.render(messages, true), false);
  }

  /**
   * Saves in Hugging Face layout: config.json, safetensors weights in {@code storage} precision
   * (sharded above {@code maxShardBytes}) and the tokenizer files of the source directory.
   */
  public void save(Path dir, TensorDType storage, long maxShardBytes) throws IOException {
    Files.createDirectories(dir);
    ModelConfig config = model.config();
    LinkedHashMap<String, SavedTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.namedArrays().entrySet()) {
      NDArray array = e.getValue();
      String name = e.getKey();
      if (array.getDataType() == DataType.FLOAT16 && config.ropeLayout() != RopeLayout.INTERLEAVED) {
        // An fp16 model's bytes are saved as they are (F16) or converted per element: no float32 copy.
        short[] bits = new short[Math.toIntExact(array.size())];
        array.toByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(bits);
        tensors.put(name, new Fp16Tensor(array.getShape().getShape(), bits));
        continue;
      }
      float[] data = array.toType(DataType.FLOAT32, false).toFloatArray();
      if (config.ropeLayout() == RopeLayout.INTERLEAVED) {
        // Rows (and bias entries) of q and k move so the half-split rotation sees the same pairs.
        int columns = name.endsWith(".weight") ? config.hiddenSize() : 1;
        if (name.contains("self_attn.q_proj.")) {
          data = RopePermutation.interleavedToHalfSplit(data, config.numHeads(), config.headDim(), columns);
        } else if (name.contains("self_attn.k_proj.")) {
          data = RopePermutation.interleavedToHalfSplit(data, config.numKvHeads(), config.headDim(), columns);
        }
      }
      tensors.put(name, new FloatTensor(array.getShape().getShape(), data));
    }
    CheckpointWriter.writeDirectory(dir, tensors, storage, maxShardBytes);
    config.withRopeLayout(RopeLayout.HALF_SPLIT).save(dir);
    if (directory != null && !directory.toAbsolutePath().equals(dir.toAbsolutePath())) {
      for (String file : TOKENIZER_FILES) {
        Path source = directory.resolve(file);
        if (Files.exists(source)) {
          org.tuninglab.io.AtomicFiles.write(dir.resolve(file), out -> Files.copy(source, out));
        }
      }
    }
  }

  @Override
  public void close() {
    model.close();
    if (tokenizer instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the tokenizer", e);
      }
    }
  }
}
