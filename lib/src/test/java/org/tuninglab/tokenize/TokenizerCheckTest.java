package org.tuninglab.tokenize;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenizerCheckTest {

  private static HfTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = HfTokenizer.load(Fixtures.resource("bpe"));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void aModelWithAsManyOrMoreRowsFits() {
    assertDoesNotThrow(() -> TokenizerCheck.requireFits(tokenizer, 272, Path.of("config.json")));
    assertDoesNotThrow(() -> TokenizerCheck.requireFits(tokenizer, 320, Path.of("config.json")));
  }

  @Test
  void aSmallerModelIsRejectedWithBothSizesAndTheFile() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TokenizerCheck.requireFits(
                    tokenizer, 256, Path.of("models", "tiny", "config.json")));
    assertEquals(
        "the tokenizer has 272 token ids (0..271) but the model in "
            + Path.of("models", "tiny", "config.json")
            + " has a vocabulary of 256: ids from 256 up would index past its embedding"
            + " table; the tokenizer belongs to a different model",
        e.getMessage());
  }
}
