package org.tuninglab.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains small tokenizers and checks them through the Hugging Face tokenizers library. */
class BpeTrainerTest {
  private static final List<String> CORPUS =
      List.of(
          "Anna went to the market in Ashford. She bought three red apples.",
          "On Monday, Ben walked to the park with Anna. They saw two ducks.",
          "The market was busy, and the apples were red and sweet.",
          "Ben found a small key near the river; he gave it to Anna.");

  private static List<String> corpus(int copies) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      texts.addAll(CORPUS);
    }
    return texts;
  }

  @Test
  void mergesTheMostFrequentPairFirstAndStopsBelowTheMinimumFrequency() {
    // Words: "ab" once, " ab" twice, "abc" once. (a, b) occurs 4 times, then (Ġ, ab) twice;
    // (ab, c) occurs once, below the minimum of 2.
    ByteLevelBpe bpe =
        BpeTrainer.builder().setVocabSize(300).build().train(List.of("ab ab ab", "abc"));
    assertEquals(List.of("a b", "Ġ ab"), bpe.merges());
    assertEquals(256 + 2 + 3, bpe.vocabSize());
    assertEquals(258, bpe.specialId("<|endoftext|>"));
    assertEquals(260, bpe.specialId("<|im_end|>"));
  }

  @Test
  void trainingIsDeterministicAndFillsTheVocabulary(@TempDir Path tmp) throws IOException {
    ByteLevelBpe first = BpeTrainer.builder().setVocabSize(320).build().train(corpus(3));
    ByteLevelBpe second = BpeTrainer.builder().setVocabSize(320).build().train(corpus(3));
    assertEquals(first.merges(), second.merges());
    assertEquals(320, first.vocabSize());
    first.save(tmp.resolve("a"));
    second.save(tmp.resolve("b"));
    for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("a").resolve(file)),
          Files.readAllBytes(tmp.resolve("b").resolve(file)),
          file);
    }
    // Frequent words of the corpus became single tokens.
    try (HfTokenizer tokenizer = HfTokenizer.load(tmp.resolve("a"))) {
      assertEquals(1, tokenizer.encode(" market", false).length);
      assertEquals(320, tokenizer.vocabSize());
    }
  }

  @Test
  void anyTextRoundTrips(@TempDir Path tmp) throws IOException {
    BpeTrainer.builder().setVocabSize(300).build().train(corpus(2)).save(tmp);
    try (HfTokenizer tokenizer = HfTokenizer.load(tmp)) {
      for (String text :
          List.of(
              "Anna went to the market.",
              "",
              " leading and trailing spaces  ",
              "tabs\tand\nnew\r\nlines",
              "Zürich, naïve café — “quotes” and 日本語 and emoji 🎉🦊",
              "don't won't it's",
              "12345 + 678 = 7023",
              "\u0000 control \u0007 bytes")) {
        int[] ids = tokenizer.encode(text, false);
        assertEquals(text, tokenizer.decode(ids, false), Arrays.toString(ids));
        assertTrue(Arrays.stream(ids).allMatch(id -> id < 297), "no special ids in plain text");
      }
    }
  }

  @Test
  void specialTokensStayWholeAndFollowQwenRoles(@TempDir Path tmp) throws IOException {
    ByteLevelBpe bpe = BpeTrainer.builder().setVocabSize(300).build().train(corpus(2));
    bpe.save(tmp);
    int endOfText = bpe.specialId("<|endoftext|>");
    int imStart = bpe.specialId("<|im_start|>");
    int imEnd = bpe.specialId("<|im_end|>");
    assertEquals(List.of(297, 298, 299), List.of(endOfText, imStart, imEnd));
    try (HfTokenizer tokenizer = HfTokenizer.load(tmp)) {
      int[] ids = tokenizer.encode("<|im_start|>user\nHi<|im_end|>\n<|endoftext|>", false);
      assertEquals(imStart, ids[0]);
      assertEquals(
          3, Arrays.stream(ids).filter(id -> id >= endOfText).count(), Arrays.toString(ids));
      assertEquals(imEnd, ids[ids.length - 3]);
      assertEquals(endOfText, ids[ids.length - 1]);
      assertEquals("user\nHi\n", tokenizer.decode(ids, true));
      // As in Qwen2.5-Instruct: the end of a turn is the EOS, the end of text pads.
      assertEquals(imEnd, tokenizer.specialTokens().eos().iterator().next());
      assertEquals(endOfText, tokenizer.specialTokens().pad().getAsInt());
      assertTrue(tokenizer.specialTokens().isSpecial(imStart));
    }
    ChatTemplate template = ChatTemplate.fromModelDir(tmp).orElseThrow();
    assertEquals(
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        template.render(List.of(ChatMessage.user("Hi")), true));
    assertEquals(
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
            + "<|im_start|>assistant\nHello<|im_end|>\n",
        template.render(
            List.of(
                ChatMessage.system("Be brief."),
                ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello")),
            false));
  }

  @Test
  void aVocabularyTooSmallForTheBytesIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BpeTrainer.builder().setVocabSize(200).build());
    assertTrue(e.getMessage().contains("at least 259"), e.getMessage());
  }
}
