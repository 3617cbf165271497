package org.tuninglab.checkpoint;

/**
 * Exact conversions between float32 and the two 16-bit float formats of checkpoints: IEEE
 * binary16 (fp16) and bfloat16. Narrowing rounds to nearest, ties to even; NaN stays NaN.
 */
public final class HalfFloats {

  private HalfFloats() {}

  /** Widens fp16 bits (the low 16 bits of {@code bits}) to the float they denote, exactly. */
  public static float fp16ToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      // zero or subnormal: mant * 2^-24, exact in float32
      float magnitude = mant * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** Narrows a float to fp16 bits (in the low 16 bits), overflowing to infinity. */
  public static short floatToFp16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xFF;
    int mant = bits & 0x7FFFFF;
    if (exp == 0xFF) {
      // keep the top payload bits; set the quiet bit so a NaN never turns into infinity
      return (short) (mant == 0 ? sign | 0x7C00 : sign | 0x7E00 | (mant >>> 13));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign; // below half the smallest subnormal: rounds to zero
      }
      int full = mant | 0x800000;
      int shift = 14 - e;
      return (short) (sign | roundShift(full, shift));
    }
    // a carry out of the mantissa correctly bumps the exponent (up to infinity)
    return (short) (sign | roundShift((e << 23) | mant, 13));
  }

  /** Widens bfloat16 bits (the low 16 bits of {@code bits}) to float, exactly. */
  public static float bf16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** Narrows a float to bfloat16 bits (in the low 16 bits). */
  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7FFFFFFF) > 0x7F800000) {
      // NaN: plain rounding could carry the payload into the exponent; keep it quiet instead
      return (short) ((bits >>> 16) | 0x0040);
    }
    return (short) (roundShift(bits, 16));
  }

  /** {@code value >>> shift} (unsigned) rounded to nearest, ties to even. */
  private static int roundShift(int value, int shift) {
    int kept = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (kept & 1) != 0)) {
      kept++;
    }
    return kept;
  }
}
