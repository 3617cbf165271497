package org.tuninglab.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which files of a repository a model needs: configs, tokenizer, chat template and safetensors
 * weights (one file, or an index and its shards), or a PEFT adapter. PyTorch pickles, TensorFlow,
 * ONNX and the like are never fetched.
 */
final class RepoFiles {

  static final String CONFIG = "config.json";
  static final String SINGLE_WEIGHTS = "model.safetensors";
  static final String INDEX = "model.safetensors.index.json";
  static final String ADAPTER_CONFIG = "adapter_config.json";
  static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";

  /** Fetched when the repository has them. */
  static final List<String> OPTIONAL = List.of(
      CONFIG, "generation_config.json", "tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "chat_template.jinja", "chat_template.json", ADAPTER_CONFIG);

  private static final ObjectMapper JSON = new ObjectMapper();

  private RepoFiles() {}

  /**
   * The files to fetch before the shard list is known: optional files present, then the weights
   * ({@link #SINGLE_WEIGHTS} preferred, as transformers does, else {@link #INDEX}).
   *
   * @throws IOException when the repository has no safetensors weights at all
   */
  static List<String> select(String repo, String commit, List<String> siblings) throws IOException {
    Set<String> present = new LinkedHashSet<>(siblings);
    List<String> out = new ArrayList<>();
    for (String name : OPTIONAL) {
      if (present.contains(name)) {
        out.add(name);
      }
    }
    if (present.contains(SINGLE_WEIGHTS)) {
      out.add(SINGLE_WEIGHTS);
    } else if (present.contains(INDEX)) {
      out.add(INDEX);
    }
    if (present.contains(ADAPTER_WEIGHTS)) {
      out.add(ADAPTER_WEIGHTS);
    }
    boolean weights = out.contains(SINGLE_WEIGHTS) || out.contains(INDEX)
        || out.contains(ADAPTER_WEIGHTS);
    if (!weights) {
      throw new IOException("Repository " + repo + " at " + commit
          + " has no safetensors weights (" + SINGLE_WEIGHTS + ", " + INDEX + " or "
          + ADAPTER_WEIGHTS + "); its files are " + siblings
          + ". Only safetensors checkpoints are supported.");
    }
    return out;
  }

  /** The distinct shard file names an index maps tensors to, in order of first mention. */
  static List<String> shards(Path index) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(index.toFile());
    } catch (IOException e) {
      throw new IOException(index + ": not valid JSON: " + e.getMessage(), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new IOException(index + ": no \"weight_map\" object");
    }
    Set<String> shards = new LinkedHashSet<>();
    for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
      JsonNode v = it.next();
      String name = v.isTextual() ? v.textValue() : "";
      // a shard is a plain file next to the index: refuse anything that could leave the snapshot
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new IOException(index + ": weight_map names " + v + ", expected a shard file name");
      }
      shards.add(name);
    }
    return List.copyOf(shards);
  }

  /**
   * Why {@code snapshot} cannot serve as a model, or null when it can: a config and safetensors
   * weights (all shards of an index), or an adapter config and adapter weights.
   */
  static String missing(Path snapshot) {
    if (!Files.isDirectory(snapshot)) {
      return "no snapshot directory " + snapshot;
    }
    if (Files.isRegularFile(snapshot.resolve(ADAPTER_CONFIG))
        && Files.isRegularFile(snapshot.resolve(ADAPTER_WEIGHTS))) {
      return null;
    }
    if (!Files.isRegularFile(snapshot.resolve(CONFIG))) {
      return snapshot + " has no " + CONFIG;
    }
    if (Files.isRegularFile(snapshot.resolve(SINGLE_WEIGHTS))) {
      return null;
    }
    Path index = snapshot.resolve(INDEX);
    if (!Files.isRegularFile(index)) {
      return snapshot + " has no " + SINGLE_WEIGHTS + " or " + INDEX;
    }
    try {
      for (String shard : shards(index)) {
        if (!Files.isRegularFile(snapshot.resolve(shard))) {
          return snapshot + " lacks shard " + shard;
        }
      }
    } catch (IOException e) {
      return e.getMessage();
    }
    return null;
  }
}
