package org.tuninglab.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Gathers a Hugging Face model folder's special tokens, which are spread over several files.
 *
 * <p>Precedence: {@code tokenizer_config.json}, then {@code special_tokens_map.json}, then {@code
 * generation_config.json}'s ids. EOS collects every id any of them names, because chat models end a
 * turn with one token ({@code <|im_end|>}) and a document with another ({@code <|endoftext|>}).
 */
final class HfSpecialTokens {

  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  static final String GENERATION_CONFIG = "generation_config.json";

  private final HfVocabulary vocab;
  private final Path tokenizerFile;

  private HfSpecialTokens(HfVocabulary vocab, Path tokenizerFile) {
    this.vocab = vocab;
    this.tokenizerFile = tokenizerFile;
  }

  /** Resolves the special tokens of {@code modelDir}, whose tokenizer.json gave {@code vocab}. */
  static SpecialTokens resolve(
      Path modelDir, Path tokenizerFile, JsonNode tokenizerJson, HfVocabulary vocab)
      throws IOException {
    return new HfSpecialTokens(vocab, tokenizerFile).resolve(modelDir, tokenizerJson);
  }

  private SpecialTokens resolve(Path modelDir, JsonNode tokenizerJson) throws IOException {
    Path configFile = modelDir.resolve(TOKENIZER_CONFIG);
    Path mapFile = modelDir.resolve(SPECIAL_TOKENS_MAP);
    Path generationFile = modelDir.resolve(GENERATION_CONFIG);
    Optional<JsonNode> config = JsonFile.readObjectIfExists(configFile);
    Optional<JsonNode> map = JsonFile.readObjectIfExists(mapFile);
    Optional<JsonNode> generation = JsonFile.readObjectIfExists(generationFile);

    Map<String, Integer> named = new LinkedHashMap<>(vocab.specialAdded());
    if (config.isPresent()) {
      addDecoderEntries(configFile, config.get(), named);
    }

    OptionalInt bos = token(configFile, config, mapFile, map, "bos_token", named);
    OptionalInt eosToken = token(configFile, config, mapFile, map, "eos_token", named);
    OptionalInt pad = token(configFile, config, mapFile, map, "pad_token", named);
    OptionalInt unk = token(configFile, config, mapFile, map, "unk_token", named);
    addListed(configFile, config, "additional_special_tokens", named);
    addListed(mapFile, map, "additional_special_tokens", named);
    if (unk.isEmpty()) {
      JsonNode modelUnk = tokenizerJson.path("model").path("unk_token");
      if (modelUnk.isTextual()) {
        unk = OptionalInt.of(lookup(tokenizerFile, "model.unk_token", modelUnk.asText()));
      }
    }

    Set<Integer> eos = new LinkedHashSet<>();
    eosToken.ifPresent(eos::add);
    if (generation.isPresent()) {
      JsonNode g = generation.get();
      eos.addAll(ids(generationFile, "eos_token_id", g.get("eos_token_id")));
      if (bos.isEmpty()) {
        bos = single(generationFile, "bos_token_id", g.get("bos_token_id"));
      }
      if (pad.isEmpty()) {
        pad = single(generationFile, "pad_token_id", g.get("pad_token_id"));
      }
    }
    return new SpecialTokens(bos, eos, pad, unk, named);
  }

  /** {@code added_tokens_decoder}: {"id": {"content": ..., "special": true}, ...}. */
  private void addDecoderEntries(Path file, JsonNode config, Map<String, Integer> named)
      throws TokenizerFormatException {
    JsonNode decoder = config.get("added_tokens_decoder");
    if (decoder == null || decoder.isNull()) {
      return;
    }
    if (!decoder.isObject()) {
      throw new TokenizerFormatException(
          file, "field \"added_tokens_decoder\" should be an object of id → token");
    }
    for (Map.Entry<String, JsonNode> e : decoder.properties()) {
      String field = "added_tokens_decoder[\"" + e.getKey() + "\"]";
      int id;
      try {
        id = Integer.parseInt(e.getKey());
      } catch (NumberFormatException ex) {
        throw new TokenizerFormatException(
            file, "field " + field + ": the key should be a token id", ex);
      }
      String content = text(file, field, e.getValue());
      Integer known = vocab.id(content);
      if (known == null || known != id) {
        throw new TokenizerFormatException(
            file,
            "field "
                + field
                + " says \""
                + content
                + "\" has id "
                + id
                + ", but "
                + tokenizerFile.getFileName()
                + " gives it "
                + (known == null ? "no id" : "id " + known));
      }
      if (e.getValue().path("special").asBoolean(false)) {
        named.putIfAbsent(content, id);
      }
    }
  }

  private OptionalInt token(
      Path configFile,
      Optional<JsonNode> config,
      Path mapFile,
      Optional<JsonNode> map,
      String key,
      Map<String, Integer> named)
      throws TokenizerFormatException {
    OptionalInt id = token(configFile, config, key, named);
    return id.isPresent() ? id : token(mapFile, map, key, named);
  }

  private OptionalInt token(
      Path file, Optional<JsonNode> json, String key, Map<String, Integer> named)
      throws TokenizerFormatException {
    if (json.isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode node = json.get().get(key);
    if (node == null || node.isNull()) {
      return OptionalInt.empty();
    }
    String content = text(file, "\"" + key + "\"", node);
    int id = lookup(file, key, content);
    named.putIfAbsent(content, id);
    return OptionalInt.of(id);
  }

  private void addListed(Path file, Optional<JsonNode> json, String key, Map<String, Integer> named)
      throws TokenizerFormatException {
    if (json.isEmpty()) {
      return;
    }
    JsonNode list = json.get().get(key);
    if (list == null || list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw new TokenizerFormatException(file, "field \"" + key + "\" should be a list of tokens");
    }
    for (int i = 0; i < list.size(); i++) {
      String field = key + "[" + i + "]";
      String content = text(file, field, list.get(i));
      named.putIfAbsent(content, lookup(file, field, content));
    }
  }

  /** A token given as a string or as an AddedToken object {"content": ...}. */
  static String text(Path file, String field, JsonNode node)
      throws TokenizerFormatException {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isObject() && node.path("content").isTextual()) {
      return node.get("content").asText();
    }
    throw new TokenizerFormatException(
        file,
        "field "
            + field
            + " should be a token string or an object with \"content\", found "
            + node);
  }

  private int lookup(Path file, String field, String content) throws TokenizerFormatException {
    Integer id = vocab.id(content);
    if (id == null) {
      throw new TokenizerFormatException(
          file,
          "field \""
              + field
              + "\" names \""
              + content
              + "\", which "
              + tokenizerFile.getFileName()
              + " does not define");
    }
    return id;
  }

  private Set<Integer> ids(Path file, String field, JsonNode node) throws TokenizerFormatException {
    Set<Integer> ids = new LinkedHashSet<>();
    if (node == null || node.isNull()) {
      return ids;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ids.add(checkedId(file, field + "[" + i + "]", node.get(i)));
      }
    } else {
      ids.add(checkedId(file, field, node));
    }
    return ids;
  }

  private OptionalInt single(Path file, String field, JsonNode node)
      throws TokenizerFormatException {
    if (node == null || node.isNull()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(checkedId(file, field, node));
  }

  private int checkedId(Path file, String field, JsonNode node) throws TokenizerFormatException {
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.asInt() < 0
        || node.asInt() >= vocab.size()) {
      throw new TokenizerFormatException(
          file,
          "field \""
              + field
              + "\" should be a token id in [0, "
              + vocab.size()
              + "), found "
              + node);
    }
    return node.asInt();
  }
}
