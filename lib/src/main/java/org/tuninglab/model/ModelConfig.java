package org.tuninglab.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shape of a Llama-family decoder, as {@code config.json} describes it.
 *
 * @param architecture which Hugging Face class the checkpoint was saved from
 * @param vocabSize rows of the embedding and of the output head
 * @param hiddenSize the residual stream width D
 * @param intermediateSize the SwiGLU hidden width
 * @param numLayers decoder layers
 * @param numHeads query heads
 * @param numKvHeads key/value heads (fewer than query heads: grouped-query attention)
 * @param headDim width of one head (usually hiddenSize / numHeads)
 * @param maxPositions the longest context the model was trained for
 * @param ropeTheta the rotary base
 * @param ropeScaling optional long-context scaling of the rotary frequencies (null: none)
 * @param ropeLayout which dimensions rotate together (Hugging Face checkpoints: half-split)
 * @param rmsNormEps epsilon inside RMSNorm
 * @param attentionBias whether q/k/v projections carry a bias (Qwen2: yes)
 * @param outputBias whether the attention output projection carries a bias
 * @param tieWordEmbeddings whether the output head reuses the embedding matrix
 * @param slidingWindow attention span in tokens, 0 for full causal attention
 * @param bosTokenId the begin-of-sequence id from config.json, -1 when absent
 * @param eosTokenIds the end-of-sequence ids from config.json (may be empty)
 */
public record ModelConfig(
    Architecture architecture,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int maxPositions,
    double ropeTheta,
    RopeScaling ropeScaling,
    RopeLayout ropeLayout,
    double rmsNormEps,
    boolean attentionBias,
    boolean outputBias,
    boolean tieWordEmbeddings,
    int slidingWindow,
    int bosTokenId,
    List<Integer> eosTokenIds) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    String where = "model config";
    requirePositive(where, "vocab_size", vocabSize);
    requirePositive(where, "hidden_size", hiddenSize);
    requirePositive(where, "intermediate_size", intermediateSize);
    requirePositive(where, "num_hidden_layers", numLayers);
    requirePositive(where, "num_attention_heads", numHeads);
    requirePositive(where, "num_key_value_heads", numKvHeads);
    requirePositive(where, "head_dim", headDim);
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          where + ": num_attention_heads (" + numHeads + ") must be a multiple of"
              + " num_key_value_heads (" + numKvHeads + ")");
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException(
          where + ": head_dim must be even for rotary embeddings, got " + headDim);
    }
  }

  /** Query heads that share one key/value head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /** Reads {@code config.json} from a model directory or the file itself. */
  public static ModelConfig load(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ModelFormatException(file + ": not found (a model directory needs config.json)");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFormatException(
          file + ": not valid JSON at line " + e.getLocation().getLineNr() + ": "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(file + ": expected a JSON object");
    }
    return fromJson(root, file.toString());
  }

  /** Parses a {@code config.json} tree; {@code source} names it in error messages. */
  public static ModelConfig fromJson(JsonNode root, String source) throws ModelFormatException {
    Architecture architecture = architectureOf(root, source);
    var fields = new JsonFields(root, source);
    int hidden = fields.requiredInt("hidden_size");
    int heads = fields.requiredInt("num_attention_heads");
    if (root.path("mlp_bias").asBoolean(false)) {
      throw new ModelFormatException(source + ": field 'mlp_bias': true is not supported");
    }
    boolean qkvBias =
        architecture == Architecture.QWEN2 || root.path("attention_bias").asBoolean(false);
    boolean outBias = architecture != Architecture.QWEN2 && root.path("attention_bias").asBoolean(false);
    int slidingWindow = 0;
    boolean windowUsed =
        architecture == Architecture.MISTRAL || root.path("use_sliding_window").asBoolean(false);
    if (windowUsed && root.hasNonNull("sliding_window")) {
      slidingWindow = fields.requiredInt("sliding_window");
    }
    try {
      return new ModelConfig(
          architecture,
          fields.requiredInt("vocab_size"),
          hidden,
          fields.requiredInt("intermediate_size"),
          fields.requiredInt("num_hidden_layers"),
          heads,
          fields.optInt("num_key_value_heads", heads),
          fields.optInt("head_dim", heads > 0 ? hidden / heads : 0),
          fields.optInt("max_position_embeddings", 2048),
          fields.optDouble("rope_theta", 10000.0),
          ropeScalingOf(root.get("rope_scaling"), source),
          RopeLayout.HALF_SPLIT,
          fields.optDouble("rms_norm_eps", 1e-6),
          qkvBias,
          outBias,
          root.path("tie_word_embeddings").asBoolean(false),
          slidingWindow,
          fields.optInt("bos_token_id", -1),
          idsOf(root.get("eos_token_id")));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(e.getMessage().replace("model config", source));
    }
  }

  /** The {@code config.json} that {@link #load} reads back into an equal config. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.putArray("architectures").add(architecture.className());
    o.put("model_type", architecture.modelType());
    o.put("vocab_size", vocabSize);
    o.put("hidden_size", hiddenSize);
    o.put("intermediate_size", intermediateSize);
    o.put("num_hidden_layers", numLayers);
    o.put("num_attention_heads", numHeads);
    o.put("num_key_value_heads", numKvHeads);
    o.put("head_dim", headDim);
    o.put("max_position_embeddings", maxPositions);
    o.put("rope_theta", ropeTheta);
    if (ropeScaling != null) {
      ObjectNode s = o.putObject("rope_scaling");
      s.put("rope_type", ropeScaling.type());
      s.put("factor", ropeScaling.factor());
      if (ropeScaling.type().equals("llama3")) {
        s.put("low_freq_factor", ropeScaling.lowFreqFactor());
        s.put("high_freq_factor", ropeScaling.highFreqFactor());
        s.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
      }
    } else {
      o.putNull("rope_scaling");
    }
    o.put("rms_norm_eps", rmsNormEps);
    if (architecture != Architecture.QWEN2) {
      o.put("attention_bias", attentionBias);
    }
    o.put("tie_word_embeddings", tieWordEmbeddings);
    if (slidingWindow > 0) {
      o.put("sliding_window", slidingWindow);
      if (architecture == Architecture.QWEN2) {
        o.put("use_sliding_window", true);
      }
    }
    if (bosTokenId >= 0) {
      o.put("bos_token_id", bosTokenId);
    }
    if (eosTokenIds.size() == 1) {
      o.put("eos_token_id", eosTokenIds.get(0));
    } else if (!eosTokenIds.isEmpty()) {
      ArrayNode eos = o.putArray("eos_token_id");
      eosTokenIds.forEach(eos::add);
    }
    o.put("hidden_act", "silu");
    o.put("torch_dtype", "float32");
    return o;
  }

  /** Writes {@link #toJson()} to {@code dir/config.json}. */
  public void save(Path dir) throws IOException {
    org.tuninglab.io.AtomicFiles.writeString(
        dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
  }

  /** A copy with another rotary layout (the llama2.c import starts interleaved). */
  public ModelConfig withRopeLayout(RopeLayout layout) {
    return copy(numLayers, maxPositions, layout);
  }

  /**
   * A copy that records another context length. Rotary positions have no learned table, so the
   * weights fit any length; the model has learnt only the lengths it was trained at.
   */
  public ModelConfig withMaxPositions(int positions) {
    if (positions < 1) {
      throw new IllegalArgumentException("a context length must be positive, got " + positions);
    }
    return copy(numLayers, positions, ropeLayout);
  }

  /** A copy with another layer count (a model grown by {@link DepthExpansion}). */
  public ModelConfig withNumLayers(int layers) {
    if (layers < 1) {
      throw new IllegalArgumentException("a layer count must be positive, got " + layers);
    }
    return copy(layers, maxPositions, ropeLayout);
  }

  private ModelConfig copy(int layers, int positions, RopeLayout layout) {
    return new ModelConfig(
        architecture, vocabSize, hiddenSize, intermediateSize, layers, numHeads, numKvHeads,
        headDim, positions, ropeTheta, ropeScaling, layout, rmsNormEps, attentionBias,
        outputBias, tieWordEmbeddings, slidingWindow, bosTokenId, eosTokenIds);
  }

  /** Parameters the model holds, without building it. */
  public long parameterCount() {
    long d = hiddenSize;
    long q = (long) numHeads * headDim;
    long kv = (long) numKvHeads * headDim;
    long attention = d * q + 2 * d * kv + q * d;
    if (attentionBias) {
      attention += q + 2 * kv;
    }
    if (outputBias) {
      attention += d;
    }
    long mlp = 3 * d * intermediateSize;
    long perLayer = attention + mlp + 2 * d;
    long embeddings = (long) vocabSize * d * (tieWordEmbeddings ? 1 : 2);
    return embeddings + numLayers * perLayer + d;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static Architecture architectureOf(JsonNode root, String source)
      throws ModelFormatException {
    JsonNode names = root.get("architectures");
    if (names != null && names.isArray() && names.size() > 0) {
      String name = names.get(0).asText();
      return Architecture.byClassName(name)
          .orElseThrow(
              () ->
                  new ModelFormatException(
                      source + ": architecture '" + name + "' is not supported; supported: "
                          + Architecture.supportedList()));
    }
    String type = root.path("model_type").asText("");
    return Architecture.byModelType(type)
        .orElseThrow(
            () ->
                new ModelFormatException(
                    source + ": neither 'architectures' nor a known 'model_type' (got '" + type
                        + "'); supported: " + Architecture.supportedList()));
  }

  private static RopeScaling ropeScalingOf(JsonNode node, String source)
      throws ModelFormatException {
    if (node == null || node.isNull()) {
      return null;
    }
    String type = node.path("rope_type").asText(node.path("type").asText(""));
    var fields = new JsonFields(node, source + " rope_scaling");
    switch (type) {
      case "default":
        return null;
      case "linear":
        return RopeScaling.linear(fields.requiredDouble("factor"));
      case "llama3":
        return RopeScaling.llama3(
            fields.requiredDouble("factor"),
            fields.requiredDouble("low_freq_factor"),
            fields.requiredDouble("high_freq_factor"),
            fields.requiredInt("original_max_position_embeddings"));
      default:
        throw new ModelFormatException(
            source + ": field 'rope_scaling.rope_type' = '" + type
                + "' is not supported; supported: default, linear, llama3");
    }
  }

  private static List<Integer> idsOf(JsonNode node) {
    List<Integer> ids = new ArrayList<>();
    if (node == null || node.isNull()) {
      return ids;
    }
    if (node.isArray()) {
      node.forEach(n -> ids.add(n.asInt()));
    } else {
      ids.add(node.asInt());
    }
    return ids;
  }

  private static void requirePositive(String where, String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          where + ": field '" + field + "' must be a positive integer, got " + value);
    }
  }

  /** Typed access to config.json fields with errors that name the file and the field. */
  private record JsonFields(JsonNode root, String source) {
    int requiredInt(String field) throws ModelFormatException {
      JsonNode n = root.get(field);
      if (n == null || n.isNull()) {
        throw new ModelFormatException(source + ": missing required field '" + field + "'");
      }
      if (!n.canConvertToInt() || !n.isIntegralNumber()) {
        throw new ModelFormatException(
            source + ": field '" + field + "' must be an integer, got " + n);
      }
      return n.asInt();
    }

    int optInt(String field, int fallback) throws ModelFormatException {
      JsonNode n = root.get(field);
      return n == null || n.isNull() ? fallback : requiredInt(field);
    }

    double requiredDouble(String field) throws ModelFormatException {
      JsonNode n = root.get(field);
      if (n == null || !n.isNumber()) {
        throw new ModelFormatException(
            source + ": field '" + field + "' must be a number, got " + Optional.ofNullable(n).map(JsonNode::toString).orElse("nothing"));
      }
      return n.asDouble();
    }

    double optDouble(String field, double fallback) throws ModelFormatException {
      JsonNode n = root.get(field);
      return n == null || n.isNull() ? fallback : requiredDouble(field);
    }
  }

  /** Builds a config in code (tests, the embedded model, benchmarks). */
  public static final class Builder {
    private Architecture architecture = Architecture.LLAMA;
    private int vocabSize;
    private int hiddenSize;
    private int intermediateSize;
    private int numLayers;
    private int numHeads;
    private int numKvHeads;
    private int headDim;
    private int maxPositions = 2048;
    private double ropeTheta = 10000.0;
    private RopeScaling ropeScaling;
    private RopeLayout ropeLayout = RopeLayout.HALF_SPLIT;
    private double rmsNormEps = 1e-5;
    private Boolean attentionBias;
    private boolean tieWordEmbeddings;
    private int slidingWindow;
    private int bosTokenId = -1;
    private List<Integer> eosTokenIds = List.of();

    public Builder optArchitecture(Architecture value) {
      architecture = value;
      return this;
    }

    public Builder setVocabSize(int value) {
      vocabSize = value;
      return this;
    }

    public Builder setHiddenSize(int value) {
      hiddenSize = value;
      return this;
    }

    public Builder setIntermediateSize(int value) {
      intermediateSize = value;
      return this;
    }

    public Builder setNumLayers(int value) {
      numLayers = value;
      return this;
    }

    public Builder setNumHeads(int value) {
      numHeads = value;
      return this;
    }

    public Builder optNumKvHeads(int value) {
      numKvHeads = value;
      return this;
    }

    public Builder optHeadDim(int value) {
      headDim = value;
      return this;
    }

    public Builder optMaxPositions(int value) {
      maxPositions = value;
      return this;
    }

    public Builder optRopeTheta(double value) {
      ropeTheta = value;
      return this;
    }

    public Builder optRopeScaling(RopeScaling value) {
      ropeScaling = value;
      return this;
    }

    public Builder optRopeLayout(RopeLayout value) {
      ropeLayout = value;
      return this;
    }

    public Builder optRmsNormEps(double value) {
      rmsNormEps = value;
      return this;
    }

    /** Bias on q/k/v; defaults to the architecture's (Qwen2: yes). */
    public Builder optAttentionBias(boolean value) {
      attentionBias = value;
      return this;
    }

    public Builder optTieWordEmbeddings(boolean value) {
      tieWordEmbeddings = value;
      return this;
    }

    public Builder optSlidingWindow(int value) {
      slidingWindow = value;
      return this;
    }

    public Builder optBosTokenId(int value) {
      bosTokenId = value;
      return this;
    }

    public Builder optEosTokenIds(List<Integer> value) {
      eosTokenIds = value;
      return this;
    }

    public ModelConfig build() {
      boolean qkvBias = attentionBias != null ? attentionBias : architecture == Architecture.QWEN2;
      boolean outBias = architecture != Architecture.QWEN2 && qkvBias;
      int kv = numKvHeads > 0 ? numKvHeads : numHeads;
      int hd = headDim > 0 ? headDim : (numHeads > 0 ? hiddenSize / numHeads : 0);
      return new ModelConfig(
          architecture, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, kv, hd,
          maxPositions, ropeTheta, ropeScaling, ropeLayout, rmsNormEps, qkvBias, outBias,
          tieWordEmbeddings, slidingWindow, bosTokenId, eosTokenIds);
    }
  }
}
