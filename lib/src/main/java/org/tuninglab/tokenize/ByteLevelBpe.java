package org.tuninglab.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tuninglab.io.AtomicFiles;

/**
 * A trained byte-level BPE tokenizer, written as the Hugging Face files a model folder holds:
 * {@code tokenizer.json} (vocabulary, merges, GPT-2 byte-level pre-tokenizer and decoder) and
 * {@code tokenizer_config.json} (special tokens and a ChatML chat template, as Qwen2.5 has).
 *
 * <p>Ids: the 256 byte symbols in byte order, then one per new merged symbol, then the special
 * tokens. As in Qwen2.5-Instruct, {@code <|im_end|>} is the EOS (it ends an assistant turn, which
 * is what a chat model must learn to emit) and {@code <|endoftext|>} pads and separates documents.
 */
public final class ByteLevelBpe {
  /** ChatML's special tokens, in id order. */
  public static final List<String> CHATML_SPECIAL_TOKENS =
      List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

  /** ChatML with a default system turn, rendered like Qwen2.5's template without tools. */
  public static final String CHATML_TEMPLATE =
      "{%- if messages[0]['role'] == 'system' %}\n"
          + "    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
          + "{%- else %}\n"
          + "    {{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}\n"
          + "{%- endif %}\n"
          + "{%- for message in messages %}\n"
          + "    {%- if not (message.role == 'system' and loop.first) %}\n"
          + "        {{- '<|im_start|>' + message.role + '\\n' + message.content"
          + " + '<|im_end|>\\n' }}\n"
          + "    {%- endif %}\n"
          + "{%- endfor %}\n"
          + "{%- if add_generation_prompt %}\n"
          + "    {{- '<|im_start|>assistant\\n' }}\n"
          + "{%- endif %}\n";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> merges;
  private final List<String> specialTokens;
  private final Map<String, Integer> vocab = new LinkedHashMap<>();

  ByteLevelBpe(List<String> merges, List<String> specialTokens) {
    this.merges = List.copyOf(merges);
    this.specialTokens = List.copyOf(specialTokens);
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(ByteLevelAlphabet.of(b)), b);
    }
    for (String merge : merges) {
      vocab.putIfAbsent(merge.replace(" ", ""), vocab.size());
    }
  }

  /** The merges in rank order, each as {@code "left right"}. */
  public List<String> merges() {
    return merges;
  }

  /** The number of ids, special tokens included. */
  public int vocabSize() {
    return vocab.size() + specialTokens.size();
  }

  /** The id of a special token. */
  public int specialId(String token) {
    int i = specialTokens.indexOf(token);
    if (i < 0) {
      throw new IllegalArgumentException(token + " is not one of " + specialTokens);
    }
    return vocab.size() + i;
  }

  /**
   * Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir}.
   *
   * @param dir the model folder (created if missing)
   * @throws IOException if a file cannot be written
   */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve(HfTokenizer.TOKENIZER_JSON), pretty(tokenizerJson()));
    AtomicFiles.writeString(
        dir.resolve(HfSpecialTokens.TOKENIZER_CONFIG), pretty(tokenizerConfig()));
  }

  private ObjectNode tokenizerJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String token : specialTokens) {
      ObjectNode t = added.addObject();
      t.put("id", specialId(token));
      t.put("content", token);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(true));
    root.set("post_processor", byteLevel(false));
    root.set("decoder", byteLevel(true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    ArrayNode m = model.putArray("merges");
    merges.forEach(m::add);
    return root;
  }

  private static ObjectNode byteLevel(boolean useRegex) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "ByteLevel");
    node.put("add_prefix_space", false);
    node.put("trim_offsets", false);
    node.put("use_regex", useRegex);
    return node;
  }

  private ObjectNode tokenizerConfig() {
    ObjectNode root = JSON.createObjectNode();
    root.put("add_prefix_space", false);
    ObjectNode decoder = root.putObject("added_tokens_decoder");
    for (String token : specialTokens) {
      ObjectNode t = decoder.putObject(String.valueOf(specialId(token)));
      t.put("content", token);
      t.put("lstrip", false);
      t.put("normalized", false);
      t.put("rstrip", false);
      t.put("single_word", false);
      t.put("special", true);
    }
    ArrayNode additional = root.putArray("additional_special_tokens");
    specialTokens.forEach(additional::add);
    root.putNull("bos_token");
    root.put("chat_template", CHATML_TEMPLATE);
    root.put("clean_up_tokenization_spaces", false);
    root.put(
        "eos_token", specialTokens.contains("<|im_end|>") ? "<|im_end|>" : specialTokens.get(0));
    root.put("errors", "replace");
    root.put("pad_token", specialTokens.get(0));
    root.put("split_special_tokens", false);
    root.put("tokenizer_class", "PreTrainedTokenizerFast");
    root.putNull("unk_token");
    return root;
  }

  private static String pretty(ObjectNode node) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
  }
}
