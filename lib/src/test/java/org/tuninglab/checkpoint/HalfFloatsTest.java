package org.tuninglab.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  private static int fp16(float f) {
    return HalfFloats.floatToFp16(f) & 0xFFFF;
  }

  private static int bf16(float f) {
    return HalfFloats.floatToBf16(f) & 0xFFFF;
  }

  private static float bits(int b) {
    return Float.intBitsToFloat(b);
  }

  @Test
  void fp16GoldenBitPatterns() {
    assertEquals(0x3C00, fp16(1f));
    assertEquals(0xC000, fp16(-2f));
    assertEquals(0x0000, fp16(0f));
    assertEquals(0x8000, fp16(-0f));
    assertEquals(0x3555, fp16(1f / 3));
    assertEquals(0x7BFF, fp16(65504f)); // largest finite
    assertEquals(0x7BFF, fp16(65519f)); // just under the tie with infinity
    assertEquals(0x7C00, fp16(65520f)); // tie rounds to even: infinity
    assertEquals(0x7C00, fp16(1e6f));
    assertEquals(0x7C00, fp16(Float.POSITIVE_INFINITY));
    assertEquals(0xFC00, fp16(Float.NEGATIVE_INFINITY));
    assertEquals(0x0400, fp16(0x1p-14f)); // smallest normal
    assertEquals(0x03FF, fp16(1023 * 0x1p-24f)); // largest subnormal
    assertEquals(0x0001, fp16(0x1p-24f)); // smallest subnormal
    assertEquals(0x0000, fp16(0x1p-25f)); // tie between 0 and 2^-24: even is 0
    assertEquals(0x0001, fp16(0x1.8p-25f));
    assertEquals(0x0002, fp16(0x1.8p-24f)); // tie between 1 and 2 ulps: even is 2
    assertEquals(0x0000, fp16(0x1p-26f));
    assertEquals(0x3C00, fp16(1f + 0x1p-11f)); // tie: stays at even 1.0
    assertEquals(0x3C02, fp16(1f + 3 * 0x1p-11f)); // tie: up to even
    assertEquals(0x3C01, fp16(1f + 0x1.2p-11f)); // above the tie
  }

  @Test
  void fp16NanStaysNan() {
    int h = fp16(Float.NaN);
    assertEquals(0x7C00, h & 0x7C00);
    assertTrue((h & 0x3FF) != 0);
    // a payload only in low bits would be lost by truncation: must not become infinity
    int low = fp16(bits(0x7F800001));
    assertTrue((low & 0x3FF) != 0, Integer.toHexString(low));
    assertTrue(Float.isNaN(HalfFloats.fp16ToFloat(0x7E00)));
    assertTrue(Float.isNaN(HalfFloats.fp16ToFloat(0xFC01)));
  }

  @Test
  void fp16WidenGolden() {
    assertEquals(1f, HalfFloats.fp16ToFloat(0x3C00));
    assertEquals(65504f, HalfFloats.fp16ToFloat(0x7BFF));
    assertEquals(0x1p-24f, HalfFloats.fp16ToFloat(0x0001));
    assertEquals(-0x1p-24f, HalfFloats.fp16ToFloat(0x8001));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(HalfFloats.fp16ToFloat(0x8000)));
    assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.fp16ToFloat(0xFC00));
  }

  @Test
  void everyFp16PatternRoundTripsExactly() {
    for (int h = 0; h < 0x10000; h++) {
      float f = HalfFloats.fp16ToFloat(h);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(HalfFloats.fp16ToFloat(fp16(f))));
      } else {
        assertEquals(h, fp16(f), "fp16 0x" + Integer.toHexString(h));
      }
    }
  }

  @Test
  void bf16GoldenBitPatterns() {
    assertEquals(0x3F80, bf16(1f));
    assertEquals(0x4049, bf16((float) Math.PI)); // 0x40490FDB rounds down
    assertEquals(0x3F80, bf16(bits(0x3F808000))); // tie: stays even
    assertEquals(0x3F82, bf16(bits(0x3F818000))); // tie: up to even
    assertEquals(0x3F81, bf16(bits(0x3F808001))); // above the tie
    assertEquals(0x7F80, bf16(Float.MAX_VALUE)); // rounds up to infinity
    assertEquals(0xFF80, bf16(Float.NEGATIVE_INFINITY));
    assertEquals(0x0001, bf16(bits(0x00010000))); // subnormal kept
    assertEquals(0x0001, bf16(bits(0x00018000 - 1))); // below the tie
    assertEquals(0x8000, bf16(-0f));
    int nan = bf16(bits(0x7F800001)); // payload only in dropped bits
    assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(nan)), Integer.toHexString(nan));
    assertEquals(0x7FC0, bf16(Float.NaN));
  }

  @Test
  void everyBf16PatternRoundTripsExactly() {
    for (int b = 0; b < 0x10000; b++) {
      float f = HalfFloats.bf16ToFloat(b);
      assertEquals(b << 16, Float.floatToRawIntBits(f));
      if (!Float.isNaN(f)) {
        assertEquals(b, bf16(f), "bf16 0x" + Integer.toHexString(b));
      }
    }
  }
}
