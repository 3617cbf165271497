package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Nf4TensorTest {

  @Test
  void theCodebookIsBitsandbytesNf4() {
    assertEquals(16, Nf4Tensor.CODEBOOK.length);
    assertEquals(-1f, Nf4Tensor.CODEBOOK[0]);
    assertEquals(0f, Nf4Tensor.CODEBOOK[7]);
    assertEquals(1f, Nf4Tensor.CODEBOOK[15]);
    for (int i = 1; i < 16; i++) {
      assertTrue(Nf4Tensor.CODEBOOK[i] > Nf4Tensor.CODEBOOK[i - 1]);
    }
    // The widest gap is between -1 and the next value down from it.
    assertEquals((1 - 0.6961928009986877) / 2, Nf4Tensor.maxHalfGap(), 1e-7);
    assertEquals(7, Nf4Tensor.nearestCode(0.03f));
    assertEquals(8, Nf4Tensor.nearestCode(0.05f));
    assertEquals(15, Nf4Tensor.nearestCode(1f));
  }

  @Test
  void codebookValuesTimesTheBlockMaxRoundTripExactly() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] w = new float[64];
      for (int i = 0; i < 64; i++) {
        w[i] = Nf4Tensor.CODEBOOK[(i * 7) % 16] * 2f; // absmax 2, both nibbles of each byte vary
      }
      Nf4Tensor q = Nf4Tensor.quantize(m.create(w), m);
      assertArrayEquals(w, q.dequantize(m, DataType.FLOAT32).toFloatArray(), 1e-6f);
      // First code of a byte in the high nibble: codes 0 and 7 pack to 0x07.
      assertEquals(7, q.arrays().get(0).array().toType(DataType.INT32, false).toIntArray()[0]);
    }
  }

  @Test
  void errorStaysWithinHalfAGapTimesEachBlocksMax() {
    // 150 x 128 = 300 blocks: two nested groups of 256 block maxima, the second partial.
    try (NDManager m = NDManager.newBaseManager()) {
      SplittableRandom rng = new SplittableRandom(1);
      float[] w = new float[150 * 128];
      for (int i = 0; i < w.length; i++) {
        // Blocks of very different scales stress the 8-bit absmax codes.
        w[i] = (float) (rng.nextGaussian() * 0.02 * (1 + (i / 64) % 5));
      }
      NDArray weight = m.create(w, new Shape(150, 128));
      Nf4Tensor q = Nf4Tensor.quantize(weight, m);
      NDArray back = q.dequantize(m, DataType.FLOAT32);
      assertEquals(new Shape(150, 128), back.getShape());
      float[] r = back.toFloatArray();
      int blocks = w.length / 64;
      double[] absmax = new double[blocks];
      double mean = 0;
      for (int b = 0; b < blocks; b++) {
        for (int i = b * 64; i < b * 64 + 64; i++) {
          absmax[b] = Math.max(absmax[b], Math.abs(w[i]));
        }
        mean += absmax[b] / blocks;
      }
      double worstRatio = 0;
      for (int b = 0; b < blocks; b++) {
        // Double quantisation: 8-bit codes of (absmax - mean), one scale per 256 blocks.
        int from = b / 256 * 256;
        double spread = 0;
        for (int g = from; g < Math.min(blocks, from + 256); g++) {
          spread = Math.max(spread, Math.abs(absmax[g] - mean));
        }
        double absmaxBound = spread / 127 / 2 + 1e-7;
        double rebuiltMax = 0;
        for (int i = b * 64; i < b * 64 + 64; i++) {
          rebuiltMax = Math.max(rebuiltMax, Math.abs(r[i]));
        }
        // The codebook's ends are ±1, so the largest rebuilt value is the rebuilt block max.
        assertTrue(
            Math.abs(rebuiltMax - absmax[b]) <= absmaxBound,
            "block " + b + ": absmax " + absmax[b] + " rebuilt as " + rebuiltMax);
        for (int i = b * 64; i < b * 64 + 64; i++) {
          double bound = Nf4Tensor.maxHalfGap() * absmax[b] + absmaxBound;
          double err = Math.abs(w[i] - r[i]);
          assertTrue(err <= bound, "weight " + i + ": error " + err + " > bound " + bound);
          worstRatio = Math.max(worstRatio, err / bound);
        }
      }
      assertTrue(worstRatio > 0.5, "the bound is tight, not vacuous: " + worstRatio);
    }
  }

  @Test
  void storageIsAboutFourBitsAWeight() {
    try (NDManager m = NDManager.newBaseManager()) {
      Nf4Tensor small = Nf4Tensor.quantize(m.randomNormal(new Shape(32, 32)), m);
      assertEquals(Nf4Tensor.storedBytes(1024), small.storedBytes());
      assertTrue(small.storedBytes() / 1024.0 <= 0.6, small.storedBytes() + " bytes");
      Nf4Tensor large = Nf4Tensor.quantize(m.randomNormal(new Shape(896, 896)), m);
      double perWeight = large.storedBytes() / (896.0 * 896);
      assertEquals(Nf4Tensor.storedBytes(896L * 896), large.storedBytes());
      assertEquals(0.5159, perWeight, 1e-4); // 4 bits + 8/64 bits of absmax + the nested scales
    }
  }

  @Test
  void dequantisesInTheComputeDtype() {
    try (NDManager m = NDManager.newBaseManager()) {
      Nf4Tensor q = Nf4Tensor.quantize(m.randomNormal(new Shape(8, 64)), m);
      NDArray half = q.dequantize(m, DataType.FLOAT16);
      assertEquals(DataType.FLOAT16, half.getDataType());
      assertArrayEquals(
          q.dequantize(m, DataType.FLOAT32).toFloatArray(),
          half.toType(DataType.FLOAT32, false).toFloatArray(),
          2e-3f);
    }
  }
}
