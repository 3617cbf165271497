package org.tuninglab.model;

import java.io.IOException;

/** Where a model's initial weights come from: a checkpoint, an import, or a seeded initialiser. */
@FunctionalInterface
public interface WeightSource {

  /**
   * The tensor {@code name} as float32, row-major, with exactly the given shape; implementations
   * name the tensor and both shapes when they disagree.
   */
  float[] read(String name, long[] shape) throws IOException;

  /**
   * The tensor as fp16 bit patterns, for a model held in fp16. A checkpoint overrides this to read
   * its bytes straight into fp16 (no float32 copy); by default the floats are narrowed.
   */
  default short[] readFp16(String name, long[] shape) throws IOException {
    float[] floats = read(name, shape);
    short[] bits = new short[floats.length];
    for (int i = 0; i < floats.length; i++) {
      bits[i] = org.tuninglab.checkpoint.HalfFloats.floatToFp16(floats[i]);
    }
    return bits;
  }
}
