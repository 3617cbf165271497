package org.tuninglab.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.testing.SharedFiles;

/**
 * The shared llama2.c tokenizer {@code ../shared/models/stories260K/tok512.bin} (skipped when that
 * folder is absent), plus format errors on files written here. Expected ids were computed by an
 * independent re-implementation of llama2.c's {@code encode}.
 */
class Llama2cTokenizerTest {

  private static Llama2cTokenizer tok512() throws IOException {
    Path file = SharedFiles.require("models/stories260K/tok512.bin");
    return Llama2cTokenizer.load(file);
  }

  @Test
  void vocabularyAndSpecialTokens() throws IOException {
    Llama2cTokenizer tok = tok512();
    assertEquals(512, tok.vocabSize());
    assertEquals("<unk>", tok.tokenText(0));
    assertEquals("\n<s>\n", tok.tokenText(1));
    assertEquals("<0x0A>", tok.tokenText(13));
    assertEquals(" Once", tok.tokenText(403));
    assertEquals(-144.0f, tok.score(403));
    SpecialTokens special = tok.specialTokens();
    assertEquals(OptionalInt.of(1), special.bos());
    assertEquals(Set.of(2), special.eos());
    assertEquals(OptionalInt.of(0), special.unk());
    assertEquals(Map.of("<unk>", 0, "<s>", 1, "</s>", 2), special.named());
  }

  @Test
  void encodesLikeLlama2c() throws IOException {
    Llama2cTokenizer tok = tok512();
    assertArrayEquals(new int[] {1, 403, 407, 261, 378}, tok.encode("Once upon a time", true));
    assertArrayEquals(new int[] {403, 407, 261, 378}, tok.encode("Once upon a time", false));
    assertArrayEquals(
        new int[] {1, 317, 394, 261, 370, 432, 352, 266, 268, 388, 426},
        tok.encode("Lily saw a big, red ball.", true));
    assertArrayEquals(new int[0], tok.encode("", false));
  }

  @Test
  void decodeDropsTheSpaceAfterBosAndOptionallyTheSpecials() throws IOException {
    Llama2cTokenizer tok = tok512();
    int[] ids = {1, 403, 407, 261, 378, 2};
    assertEquals("Once upon a time", tok.decode(ids, true));
    assertEquals("<s>Once upon a time</s>", tok.decode(ids, false));
    assertEquals(" Once upon a time", tok.decode(Arrays.copyOfRange(ids, 1, 5), true));
  }

  @Test
  void encodeRoundTripsThroughDecode() throws IOException {
    Llama2cTokenizer tok = tok512();
    for (String text :
        new String[] {"Once upon a time", "Lily's mom said, \"Lily, let's go!\"\n"}) {
      assertEquals(text, tok.decode(tok.encode(text, true), true));
    }
  }

  @Test
  void charactersWithoutAPieceFallBackToBytesAndReassemble() throws IOException {
    Llama2cTokenizer tok = tok512();
    int[] ids = tok.encode("café ☃", true);
    // é has a piece; the snowman is three UTF-8 bytes, each its byte piece (byte + 3)
    assertArrayEquals(new int[] {1, 280, 412, 431, 485, 410, 0xE2 + 3, 0x98 + 3, 0x83 + 3}, ids);
    assertEquals("café ☃", tok.decode(ids, true));
  }

  @Test
  void idsOutsideTheVocabularyAreRejected() throws IOException {
    Llama2cTokenizer tok = tok512();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {1, 512}, true));
    assertEquals("token id 512 is outside the vocabulary [0, 512)", e.getMessage());
  }

  @Test
  void truncatedFileNamesTheTokenItStopsIn(@TempDir Path dir) throws IOException {
    byte[] valid = tokenizerFile(300);
    Path file = dir.resolve("tok300.bin");
    Files.write(file, Arrays.copyOf(valid, valid.length - 3));
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file));
    assertEquals(
        file
            + ": truncated inside token 299: expected a float32 score, an int32 length"
            + " and the piece bytes",
        e.getMessage());
  }

  @Test
  void otherFormatErrorsNameTheProblem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tok.bin");
    Files.write(file, new byte[] {7, 0});
    assertEquals(
        file + ": too short: expected an int32 max_token_length header, found 2 bytes",
        assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file))
            .getMessage());

    Files.write(file, tokenizerFile(100));
    assertEquals(
        file
            + ": holds 100 tokens, expected at least 259 (UNK, BOS, EOS and the 256"
            + " byte pieces)",
        assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file))
            .getMessage());

    byte[] swapped = tokenizerFile(300);
    int at = indexOf(swapped, "<0x00>".getBytes(StandardCharsets.US_ASCII));
    swapped[at + 4] = 'F';
    Files.write(file, swapped);
    assertEquals(
        file + ": token 3 should be the byte piece <0x00>, found \"<0x0F>\"",
        assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file))
            .getMessage());

    byte[] tooLong = tokenizerFile(300);
    ByteBuffer.wrap(tooLong).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 3);
    Files.write(file, tooLong);
    assertEquals(
        file + ": token 0 has length 5, expected 0..3 (max_token_length)",
        assertThrows(TokenizerFormatException.class, () -> Llama2cTokenizer.load(file))
            .getMessage());
  }

  @Test
  void aWrittenTokenizerEncodesWithItsScores(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tok300.bin");
    Files.write(file, tokenizerFile(300));
    Llama2cTokenizer tok = Llama2cTokenizer.load(file);
    // pieces 259.. are " ", "a", "b", " a", "ab", " ab" with rising scores: " ab" wins over "
    // a"+"b"
    assertArrayEquals(new int[] {1, 264}, tok.encode("ab", true));
    assertEquals("ab", tok.decode(new int[] {1, 264}, true));
    assertArrayEquals(new int[] {262, 'z' + 3}, tok.encode("az", false));
  }

  /** A llama2.c tokenizer file with {@code n} tokens: specials, bytes, then a few merges. */
  private static byte[] tokenizerFile(int n) {
    String[] extra = {" ", "a", "b", " a", "ab", " ab"};
    ByteBuffer out = ByteBuffer.allocate(64 * n).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(8);
    for (int i = 0; i < n; i++) {
      String piece;
      if (i < 3) {
        piece = new String[] {"<unk>", "\n<s>\n", "\n</s>\n"}[i];
      } else if (i < 259) {
        piece = String.format("<0x%02X>", i - 3);
      } else {
        piece = i - 259 < extra.length ? extra[i - 259] : "x" + i;
      }
      byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
      out.putFloat(i).putInt(bytes.length).put(bytes);
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("not found");
  }
}
