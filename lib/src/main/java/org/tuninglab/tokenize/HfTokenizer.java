package org.tuninglab.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) run by the Rust tokenizers library through DJL,
 * with its special tokens gathered from the model folder's config files.
 *
 * <p>Holds native memory: close it when done.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {

  /** The file this class reads from a model folder. */
  public static final String TOKENIZER_JSON = "tokenizer.json";

  // DJL's defaults truncate to 512 tokens and pad; a fine-tuning library must see every token.
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer delegate;
  private final HfVocabulary vocab;
  private final SpecialTokens specialTokens;

  private HfTokenizer(
      HuggingFaceTokenizer tokenizer, HfVocabulary vocab, SpecialTokens specialTokens) {
    this.delegate = tokenizer;
    this.vocab = vocab;
    this.specialTokens = specialTokens;
  }

  /**
   * Loads the tokenizer of a Hugging Face model folder: {@code tokenizer.json}, plus the special
   * tokens named in {@code tokenizer_config.json}, {@code special_tokens_map.json} and {@code
   * generation_config.json} when present.
   *
   * @param modelDir the model folder
   * @return the tokenizer
   * @throws NoSuchFileException if the folder has no {@code tokenizer.json}
   * @throws TokenizerFormatException if a file is corrupt or names tokens the tokenizer lacks
   * @throws IOException if a file cannot be read
   */
  public static HfTokenizer load(Path modelDir) throws IOException {
    Path file = modelDir.resolve(TOKENIZER_JSON);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "a Hugging Face tokenizer folder needs " + TOKENIZER_JSON);
    }
    String text = JsonFile.readText(file);
    JsonNode json = JsonFile.parse(file, text);
    HfVocabulary vocab = HfVocabulary.of(file, json);
    SpecialTokens special = HfSpecialTokens.resolve(modelDir, file, json, vocab);
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), OPTIONS);
    } catch (RuntimeException e) {
      throw new TokenizerFormatException(
          file, "the tokenizers library rejected it: " + e.getMessage(), e);
    }
    return new HfTokenizer(tokenizer, vocab, special);
  }

  @Override
  public int[] encode(String text, boolean addSpecialTokens) {
    long[] ids = delegate.encode(text, addSpecialTokens, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] wide = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      wide[i] = checkId(ids[i]);
    }
    return delegate.decode(wide, skipSpecialTokens);
  }

  @Override
  public int vocabSize() {
    return vocab.size();
  }

  @Override
  public SpecialTokens specialTokens() {
    return specialTokens;
  }

  @Override
  public String tokenText(int id) {
    return vocab.piece(checkId(id));
  }

  /** Frees the native tokenizer. */
  @Override
  public void close() {
    delegate.close();
  }

  private int checkId(int id) {
    if (id < 0 || id >= vocab.size()) {
      throw new IllegalArgumentException(
          "token id " + id + " is outside the vocabulary [0, " + vocab.size() + ")");
    }
    return id;
  }
}
