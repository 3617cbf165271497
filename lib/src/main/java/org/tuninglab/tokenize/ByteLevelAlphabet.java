package org.tuninglab.tokenize;

/**
 * GPT-2's byte-level alphabet: each of the 256 byte values as one printable character, so that byte
 * sequences become strings a BPE vocabulary can hold. Printable Latin-1 bytes stand for themselves;
 * the others (controls, space) are moved to code points from U+0100 on, which is why a leading
 * space shows as {@code Ġ}. Hugging Face's {@code ByteLevel} pre-tokenizer and decoder use the same
 * table.
 */
final class ByteLevelAlphabet {
  private static final char[] CHARS = new char[256];

  static {
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      CHARS[b] = printable ? (char) b : (char) (256 + shifted++);
    }
  }

  private ByteLevelAlphabet() {}

  /** The character standing for byte {@code b} (0–255). */
  static char of(int b) {
    return CHARS[b & 0xFF];
  }

  /** The characters standing for each byte of {@code bytes}. */
  static String encode(byte[] bytes) {
    StringBuilder s = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      s.append(of(b));
    }
    return s.toString();
  }
}
