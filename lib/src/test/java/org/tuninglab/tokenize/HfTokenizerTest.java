package org.tuninglab.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uses the fixture {@code tokenize/bpe}: a byte-level BPE (GPT-2 byte alphabet as ids 0..255, 12
 * merges giving ids 256..267 such as "hello"=259 and "Ġworld"=264), added special tokens {@code
 * <|endoftext|>}=268, {@code <|im_start|>}=269, {@code <|im_end|>}=270 and {@code
 * <|begin_of_text|>}=271, which its post-processor prepends.
 */
class HfTokenizerTest {

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
  void encodesWithTheMerges() {
    assertArrayEquals(new int[] {259, 264}, tokenizer.encode("hello world", false));
    assertArrayEquals(new int[] {266, 267}, tokenizer.encode("hi the", false));
  }

  @Test
  void addsBosOnlyWhenAsked() {
    assertArrayEquals(new int[] {271, 259, 264}, tokenizer.encode("hello world", true));
  }

  @Test
  void encodesSpecialTokensInText() {
    assertArrayEquals(
        new int[] {269, 'u', 's', 'e', 'r', '\n', 266, 270},
        tokenizer.encode("<|im_start|>user\nhi<|im_end|>", false));
  }

  @Test
  void decodeRoundTripsAndSkipsSpecialTokensOnRequest() {
    int[] ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>", false);
    assertEquals("<|im_start|>user\nhi<|im_end|>", tokenizer.decode(ids, false));
    assertEquals("user\nhi", tokenizer.decode(ids, true));
    assertEquals("hello world", tokenizer.decode(tokenizer.encode("hello world", true), true));
  }

  @Test
  void multiByteCharactersRoundTripThroughByteTokens() {
    int[] ids = tokenizer.encode("héllo 世界", false);
    assertArrayEquals(new int[] {104, 195, 169, 257, 111}, Arrays.copyOf(ids, 5));
    assertEquals("héllo 世界", tokenizer.decode(ids, false));
  }

  @Test
  void longTextIsNeitherTruncatedNorPadded() {
    String text = "hi ".repeat(599) + "hi";
    int[] ids = tokenizer.encode(text, false);
    assertEquals(600 + 599, ids.length);
    assertEquals(text, tokenizer.decode(ids, false));
    assertEquals(1, tokenizer.encode("hi", false).length);
  }

  @Test
  void vocabularyAndPieces() {
    assertEquals(272, tokenizer.vocabSize());
    assertEquals("Ġworld", tokenizer.tokenText(264));
    assertEquals("Ċ", tokenizer.tokenText('\n'));
    assertEquals("<|begin_of_text|>", tokenizer.tokenText(271));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenText(272));
    assertEquals("token id 272 is outside the vocabulary [0, 272)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {1, -1}, false));
  }

  @Test
  void specialTokensComeFromAllConfigFiles() {
    SpecialTokens special = tokenizer.specialTokens();
    assertEquals(OptionalInt.of(271), special.bos()); // AddedToken object in tokenizer_config
    assertEquals(
        List.of(270, 268), List.copyOf(special.eos())); // eos_token, then generation_config
    assertEquals(OptionalInt.of(268), special.pad());
    assertEquals(OptionalInt.empty(), special.unk());
    assertEquals(
        Map.of(
            "<|endoftext|>", 268, "<|im_start|>", 269, "<|im_end|>", 270, "<|begin_of_text|>", 271),
        special.named());
    assertEquals(OptionalInt.of(269), special.id("<|im_start|>"));
    assertTrue(special.isEos(268) && special.isSpecial(269) && !special.isSpecial(259));
  }

  @Test
  void tokenizerJsonAloneGivesItsSpecialAddedTokens(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.resource("bpe/tokenizer.json"), dir.resolve("tokenizer.json"));
    try (HfTokenizer bare = HfTokenizer.load(dir)) {
      SpecialTokens special = bare.specialTokens();
      assertEquals(OptionalInt.empty(), special.bos());
      assertEquals(Set.of(), special.eos());
      assertEquals(4, special.named().size());
      assertArrayEquals(new int[] {271, 259}, bare.encode("hello", true));
    }
  }

  @Test
  void specialTokensMapAndSingleEosIdAreRead(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.resource("bpe/tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(
        dir.resolve("special_tokens_map.json"),
        "{\"bos_token\": {\"content\": \"<|begin_of_text|>\"}, \"pad_token\":"
            + " \"<|endoftext|>\", \"additional_special_tokens\": [\"<|im_start|>\"]}");
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 270}");
    try (HfTokenizer t = HfTokenizer.load(dir)) {
      assertEquals(OptionalInt.of(271), t.specialTokens().bos());
      assertEquals(OptionalInt.of(268), t.specialTokens().pad());
      assertEquals(Set.of(270), t.specialTokens().eos());
    }
  }

  @Test
  void missingTokenizerJsonNamesTheFile(@TempDir Path dir) {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("tokenizer.json") + ": a Hugging Face tokenizer folder needs tokenizer.json",
        e.getMessage());
  }

  @Test
  void corruptTokenizerJsonNamesFileAndPosition(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": {\"a\": 0,}}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(dir.resolve("tokenizer.json"), e.file());
    assertTrue(
        e.getMessage()
            .startsWith(dir.resolve("tokenizer.json") + ": is not valid JSON at line 1, column"),
        e.getMessage());
  }

  @Test
  void binaryGarbageNamesTheFile(@TempDir Path dir) throws IOException {
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    garbage[10] = (byte) 0xff; // never valid in UTF-8
    Files.write(dir.resolve("tokenizer.json"), garbage);
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(dir.resolve("tokenizer.json"), e.file());
    assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json") + ": is not UTF-8 text"),
        e.getMessage());
  }

  @Test
  void missingVocabularyIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("tokenizer.json")
            + ": field \"model.vocab\" is missing; expected an object or a list",
        e.getMessage());

    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": {\"a\": \"zero\"}}}");
    e = assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("tokenizer.json")
            + ": field model.vocab[\"a\"] should be a non-negative integer id, found"
            + " \"zero\"",
        e.getMessage());
  }

  @Test
  void aTokenizerTheLibraryRejectsNamesTheFile(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("tokenizer.json"),
        "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertTrue(
        e.getMessage()
            .startsWith(dir.resolve("tokenizer.json") + ": the tokenizers library rejected it"),
        e.getMessage());
  }

  @Test
  void configNamingAnUnknownTokenIsAnError(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.resource("bpe/tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("tokenizer_config.json")
            + ": field \"eos_token\" names \"</s>\", which tokenizer.json does not"
            + " define",
        e.getMessage());

    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": 5}");
    e = assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("tokenizer_config.json")
            + ": field \"bos_token\" should be a token string or an object with"
            + " \"content\", found 5",
        e.getMessage());
  }

  @Test
  void addedTokensDecoderMustAgreeWithTokenizerJson(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.resource("bpe/tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"added_tokens_decoder\": {\"300\": {\"content\": \"<|im_end|>\", \"special\":"
            + " true}}}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("tokenizer_config.json")
            + ": field added_tokens_decoder[\"300\"] says \"<|im_end|>\" has id 300,"
            + " but tokenizer.json gives it id 270",
        e.getMessage());
  }

  @Test
  void generationConfigIdsMustBeInTheVocabulary(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.resource("bpe/tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [270, 999]}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("generation_config.json")
            + ": field \"eos_token_id[1]\" should be a token id in [0, 272), found 999",
        e.getMessage());

    Files.writeString(dir.resolve("generation_config.json"), "[270]");
    e = assertThrows(TokenizerFormatException.class, () -> HfTokenizer.load(dir));
    assertEquals(
        dir.resolve("generation_config.json")
            + ": expected a JSON object at the top level, found ARRAY",
        e.getMessage());
  }
}
