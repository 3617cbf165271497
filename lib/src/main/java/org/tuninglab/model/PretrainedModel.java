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
    ModelConfig config = ModelConfig.load(dir);
    HfTokenizer tokenizer = HfTokenizer.load(dir);
    try {
      TokenizerCheck.requireFits(tokenizer, config.vocabSize(), dir.resolve("tokenizer.json"));
      ChatTemplate template = ChatTemplate.fromModelDir(dir).orElse(null);
      LlamaModel model;
      try (Checkpoint checkpoint = Checkpoint.open(dir)) {
        model = LlamaModel.create(config, checkpointWeights(checkpoint, dir), device, dtype);
      }
      return new PretrainedModel(dir, model, tokenizer, template);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Reads tensors from a checkpoint, checking each against the shape the config calls for. */
  static WeightSource checkpointWeights(Checkpoint checkpoint, Path dir) {
    return (name, shape) -> {
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
      return checkpoint.readFloats(name);
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
    LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.namedArrays().entrySet()) {
      NDArray array = e.getValue();
      float[] data = array.toType(DataType.FLOAT32, false).toFloatArray();
      String name = e.getKey();
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
