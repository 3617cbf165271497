package org.tuninglab.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.HfTokenizer;

/**
 * The byte-level BPE test tokenizer (vocabulary 272: {@code <|endoftext|>}=268, {@code
 * <|im_start|>}=269, {@code <|im_end|>}=270) with its Qwen2.5 chat template.
 */
final class BpeFixture {
  static final int ENDOFTEXT = 268;
  static final int IM_START = 269;
  static final int IM_END = 270;

  private BpeFixture() {}

  static Path dir() {
    try {
      return Path.of(BpeFixture.class.getResource("/tokenize/bpe").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static HfTokenizer tokenizer() throws IOException {
    return HfTokenizer.load(dir());
  }

  static ChatTemplate template() throws IOException {
    return ChatTemplate.fromModelDir(dir()).orElseThrow();
  }

  /** The decoded text of an encoded example's trained (or untrained) tokens. */
  static String text(HfTokenizer tokenizer, EncodedExample e, boolean trained) {
    int[] ids =
        IntStream.range(0, e.length())
            .filter(t -> e.trained()[t] == trained)
            .map(t -> e.ids()[t])
            .toArray();
    return tokenizer.decode(ids, false);
  }

  /** A copy of the fixture whose pad token is {@code <|im_end|>}, the end-of-turn EOS. */
  static Path padIsEos(Path tmp) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Files.copy(dir().resolve("tokenizer.json"), tmp.resolve("tokenizer.json"));
    ObjectNode config = (ObjectNode) json.readTree(dir().resolve("tokenizer_config.json").toFile());
    config.put("pad_token", "<|im_end|>");
    json.writeValue(tmp.resolve("tokenizer_config.json").toFile(), config);
    return tmp;
  }
}
