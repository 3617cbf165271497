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
}
