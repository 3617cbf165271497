package org.tuninglab.parallel;

/**
 * Where one of a device's arrays comes from in the single-device reference model.
 *
 * @param referenceName the reference model's tensor name
 * @param axis the axis the tensor is split along across devices, or -1 when the device holds it
 *     whole (a replica: its gradient is summed over the devices that hold it)
 * @param rank this device's slice along {@code axis}
 * @param parts slices along {@code axis}
 * @param used the device's computation reads it (only used arrays train and count as its memory)
 */
record ShardPart(String referenceName, int axis, int rank, int parts, boolean used) {

  static ShardPart whole(String referenceName, boolean used) {
    return new ShardPart(referenceName, -1, 0, 1, used);
  }

  boolean sliced() {
    return axis >= 0;
  }

  /** This device's slice of the reference tensor {@code full} of shape {@code shape}. */
  float[] slice(float[] full, long[] shape) {
    if (!sliced()) {
      return full;
    }
    int rows = (int) shape[0];
    int cols = shape.length == 1 ? 1 : (int) shape[1];
    if (axis == 0) {
      int n = rows / parts;
      return java.util.Arrays.copyOfRange(full, rank * n * cols, (rank + 1) * n * cols);
    }
    int n = cols / parts;
    float[] out = new float[rows * n];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(full, r * cols + rank * n, out, r * n, n);
    }
    return out;
  }
}
