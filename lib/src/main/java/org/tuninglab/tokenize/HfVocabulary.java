package org.tuninglab.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The id ↔ piece table of a {@code tokenizer.json}: the model's vocabulary plus its added tokens.
 *
 * <p>DJL's binding exposes neither the vocabulary size nor id-to-piece lookups, so they are read
 * from the same file here.
 */
final class HfVocabulary {

  private final String[] pieces;
  private final Map<String, Integer> ids;
  private final Map<String, Integer> specialAdded;

  private HfVocabulary(
      String[] pieces, Map<String, Integer> ids, Map<String, Integer> specialAdded) {
    this.pieces = pieces;
    this.ids = ids;
    this.specialAdded = specialAdded;
  }

  /** Reads the vocabulary of the parsed {@code tokenizer.json} at {@code file}. */
  static HfVocabulary of(Path file, JsonNode root) throws TokenizerFormatException {
    JsonNode model = root.get("model");
    if (model == null || !model.isObject()) {
      throw new TokenizerFormatException(
          file, "field \"model\" is missing; expected the tokenizer model object");
    }
    JsonNode vocab = model.get("vocab");
    TreeMap<Integer, String> byId = new TreeMap<>();
    if (vocab != null && vocab.isObject()) {
      // BPE, WordPiece, WordLevel: {"piece": id, ...}
      for (Map.Entry<String, JsonNode> e : vocab.properties()) {
        byId.put(id(file, "model.vocab[\"" + e.getKey() + "\"]", e.getValue()), e.getKey());
      }
    } else if (vocab != null && vocab.isArray()) {
      // Unigram: [["piece", score], ...], the id being the position
      for (int i = 0; i < vocab.size(); i++) {
        JsonNode entry = vocab.get(i);
        if (!entry.isArray() || entry.isEmpty() || !entry.get(0).isTextual()) {
          throw new TokenizerFormatException(
              file, "field model.vocab[" + i + "] should be [piece, score]");
        }
        byId.put(i, entry.get(0).asText());
      }
    } else {
      throw new TokenizerFormatException(
          file, "field \"model.vocab\" is missing; expected an object or a list");
    }

    Map<String, Integer> specialAdded = new LinkedHashMap<>();
    JsonNode added = root.get("added_tokens");
    if (added != null && !added.isNull()) {
      if (!added.isArray()) {
        throw new TokenizerFormatException(file, "field \"added_tokens\" should be a list");
      }
      for (int i = 0; i < added.size(); i++) {
        JsonNode token = added.get(i);
        String field = "added_tokens[" + i + "]";
        JsonNode content = token.get("content");
        if (content == null || !content.isTextual()) {
          throw new TokenizerFormatException(
              file, "field " + field + ".content should be the token text");
        }
        int id = id(file, field + ".id", token.get("id"));
        byId.put(id, content.asText());
        if (token.path("special").asBoolean(false)) {
          specialAdded.put(content.asText(), id);
        }
      }
    }
    if (byId.isEmpty()) {
      throw new TokenizerFormatException(file, "field \"model.vocab\" is empty");
    }

    String[] pieces = new String[byId.lastKey() + 1];
    Map<String, Integer> ids = new HashMap<>();
    byId.forEach(
        (id, piece) -> {
          pieces[id] = piece;
          ids.put(piece, id);
        });
    return new HfVocabulary(
        pieces, Collections.unmodifiableMap(ids), Collections.unmodifiableMap(specialAdded));
  }

  private static int id(Path file, String field, JsonNode node) throws TokenizerFormatException {
    if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
      throw new TokenizerFormatException(
          file, "field " + field + " should be a non-negative integer id, found " + node);
    }
    return node.asInt();
  }

  /** The number of ids: the largest id plus one. */
  int size() {
    return pieces.length;
  }

  /** The piece of an id; empty for an id the file leaves unused. */
  String piece(int id) {
    String piece = pieces[id];
    return piece == null ? "" : piece;
  }

  /** The id of a piece or added token, or null. */
  Integer id(String piece) {
    return ids.get(piece);
  }

  /** The added tokens marked special, by text, in file order. */
  Map<String, Integer> specialAdded() {
    return specialAdded;
  }
}
