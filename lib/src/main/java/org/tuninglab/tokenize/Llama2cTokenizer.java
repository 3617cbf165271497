package org.tuninglab.tokenize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The tokenizer of Karpathy's llama2.c ({@code tokenizer.bin}, {@code tok512.bin}, ...): a
 * SentencePiece BPE vocabulary exported as pieces with merge scores, encoded with llama2.c's greedy
 * merge algorithm so ids match what the llama2.c models were trained on.
 *
 * <p>File layout, little-endian: int32 max piece length, then per token a float32 score, an int32
 * byte length and that many UTF-8 bytes. The number of tokens is what the file holds. Ids 0, 1, 2
 * are UNK, BOS and EOS; ids 3..258 are the byte pieces {@code <0x00>..<0xFF>}.
 */
public final class Llama2cTokenizer implements TextTokenizer {

  /** The unknown-token id. */
  public static final int UNK = 0;

  /** The beginning-of-sequence id. */
  public static final int BOS = 1;

  /** The end-of-sequence id. */
  public static final int EOS = 2;

  private static final int FIRST_BYTE_PIECE = 3;
  private static final int MIN_VOCAB = FIRST_BYTE_PIECE + 256;

  private final byte[][] pieces;
  private final String[] texts;
  private final float[] scores;
  private final Map<String, Integer> ids;
  private final SpecialTokens specialTokens;

  private Llama2cTokenizer(byte[][] pieces, float[] scores) {
    this.pieces = pieces;
    this.scores = scores;
    this.texts = new String[pieces.length];
    this.ids = new HashMap<>();
    for (int i = 0; i < pieces.length; i++) {
      texts[i] = new String(pieces[i], StandardCharsets.UTF_8);
      ids.putIfAbsent(texts[i], i);
    }
    this.specialTokens =
        new SpecialTokens(
            OptionalInt.of(BOS),
            Set.of(EOS),
            OptionalInt.empty(),
            OptionalInt.of(UNK),
            Map.of("<unk>", UNK, "<s>", BOS, "</s>", EOS));
  }

  /**
   * Reads a llama2.c tokenizer file.
   *
   * @param tokBin the {@code tok*.bin} file
   * @return the tokenizer
   * @throws TokenizerFormatException if the file is truncated or not a llama2.c tokenizer
   * @throws IOException if the file cannot be read
   */
  public static Llama2cTokenizer load(Path tokBin) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(tokBin)).order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < Integer.BYTES) {
      throw new TokenizerFormatException(
          tokBin,
          "too short: expected an int32 max_token_length header, found "
              + in.remaining()
              + " bytes");
    }
    int maxLength = in.getInt();
    if (maxLength <= 0) {
      throw new TokenizerFormatException(
          tokBin, "max_token_length should be positive, found " + maxLength);
    }
    List<byte[]> pieces = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    while (in.hasRemaining()) {
      int token = pieces.size();
      try {
        float score = in.getFloat();
        int length = in.getInt();
        if (length < 0 || length > maxLength) {
          throw new TokenizerFormatException(
              tokBin,
              "token "
                  + token
                  + " has length "
                  + length
                  + ", expected 0.."
                  + maxLength
                  + " (max_token_length)");
        }
        byte[] piece = new byte[length];
        in.get(piece);
        pieces.add(piece);
        scores.add(score);
      } catch (BufferUnderflowException e) {
        throw new TokenizerFormatException(
            tokBin,
            "truncated inside token "
                + token
                + ": expected a float32 score, an int32 length and the piece bytes",
            e);
      }
    }
    if (pieces.size() < MIN_VOCAB) {
      throw new TokenizerFormatException(
          tokBin,
          "holds "
              + pieces.size()
              + " tokens, expected at least "
              + MIN_VOCAB
              + " (UNK, BOS, EOS and the 256 byte pieces)");
    }
    for (int b = 0; b < 256; b++) {
      String expected = bytePiece(b);
      String actual = new String(pieces.get(FIRST_BYTE_PIECE + b), StandardCharsets.UTF_8);
      if (!expected.equals(actual)) {
        throw new TokenizerFormatException(
            tokBin,
            "token "
                + (FIRST_BYTE_PIECE + b)
                + " should be the byte piece "
                + expected
                + ", found \""
                + actual
                + "\"");
      }
    }
    float[] scoreArray = new float[scores.size()];
    for (int i = 0; i < scoreArray.length; i++) {
      scoreArray[i] = scores.get(i);
    }
    return new Llama2cTokenizer(pieces.toArray(new byte[0][]), scoreArray);
  }

  /**
   * Encodes like llama2.c's {@code encode}: a dummy-prefix space, one piece per character (or its
   * UTF-8 bytes as byte pieces when the character has none), then repeated merging of the adjacent
   * pair whose merged piece scores best.
   *
   * @param text the text
   * @param addSpecialTokens whether to prepend BOS
   * @return the token ids
   */
  @Override
  public int[] encode(String text, boolean addSpecialTokens) {
    List<Integer> tokens = new ArrayList<>();
    if (addSpecialTokens) {
      tokens.add(BOS);
    }
    if (!text.isEmpty()) {
      appendCharacter(" ", tokens);
    }
    text.codePoints().forEach(cp -> appendCharacter(new String(Character.toChars(cp)), tokens));
    int first = addSpecialTokens ? 1 : 0;
    while (true) {
      float bestScore = Float.NEGATIVE_INFINITY;
      int bestId = -1;
      int bestIndex = -1;
      for (int i = first; i + 1 < tokens.size(); i++) {
        Integer merged = ids.get(texts[tokens.get(i)] + texts[tokens.get(i + 1)]);
        if (merged != null && scores[merged] > bestScore) {
          bestScore = scores[merged];
          bestId = merged;
          bestIndex = i;
        }
      }
      if (bestIndex < 0) {
        break;
      }
      tokens.set(bestIndex, bestId);
      tokens.remove(bestIndex + 1);
    }
    return tokens.stream().mapToInt(Integer::intValue).toArray();
  }

  private void appendCharacter(String character, List<Integer> tokens) {
    Integer id = ids.get(character);
    if (id != null) {
      tokens.add(id);
      return;
    }
    for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
      tokens.add(FIRST_BYTE_PIECE + (b & 0xFF));
    }
  }

  /**
   * Decodes like llama2.c: byte pieces become raw bytes (so multi-byte characters reassemble), and
   * the piece right after BOS drops its leading space. Unskipped specials read {@code <unk>},
   * {@code <s>}, {@code </s>}.
   */
  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int previous = -1;
    for (int id : ids) {
      checkId(id);
      if (id <= EOS) {
        if (!skipSpecialTokens) {
          out.writeBytes(specialName(id).getBytes(StandardCharsets.UTF_8));
        }
      } else if (isBytePiece(id)) {
        out.write(id - FIRST_BYTE_PIECE);
      } else {
        byte[] piece = pieces[id];
        int from = previous == BOS && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
        out.write(piece, from, piece.length - from);
      }
      previous = id;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public int vocabSize() {
    return pieces.length;
  }

  @Override
  public SpecialTokens specialTokens() {
    return specialTokens;
  }

  @Override
  public String tokenText(int id) {
    return texts[checkId(id)];
  }

  /**
   * Returns a token's merge score (higher merges first).
   *
   * @param id the token id
   * @return the score stored in the file
   */
  public float score(int id) {
    return scores[checkId(id)];
  }

  private static boolean isBytePiece(int id) {
    return id >= FIRST_BYTE_PIECE && id < MIN_VOCAB;
  }

  private static String bytePiece(int b) {
    return String.format("<0x%02X>", b);
  }

  private static String specialName(int id) {
    return switch (id) {
      case UNK -> "<unk>";
      case BOS -> "<s>";
      default -> "</s>";
    };
  }

  private int checkId(int id) {
    if (id < 0 || id >= pieces.length) {
      throw new IllegalArgumentException(
          "token id " + id + " is outside the vocabulary [0, " + pieces.length + ")");
    }
    return id;
  }
}
