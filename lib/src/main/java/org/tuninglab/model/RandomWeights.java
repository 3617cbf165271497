package org.tuninglab.model;

import java.util.SplittableRandom;

/**
 * Seeded weights generated in Java, so the same seed gives the same model on every machine and
 * device. {@link #forTraining} follows the usual Llama initialisation (normal(0, std) matrices,
 * unit norms, zero biases); {@link #everywhere} randomises norms and biases too, which makes
 * parity tests sensitive to every tensor.
 */
public final class RandomWeights implements WeightSource {
  private final long seed;
  private final double std;
  private final boolean randomiseNormsAndBiases;

  private RandomWeights(long seed, double std, boolean randomiseNormsAndBiases) {
    this.seed = seed;
    this.std = std;
    this.randomiseNormsAndBiases = randomiseNormsAndBiases;
  }

  public static RandomWeights forTraining(long seed, double std) {
    return new RandomWeights(seed, std, false);
  }

  public static RandomWeights everywhere(long seed, double std) {
    return new RandomWeights(seed, std, true);
  }

  @Override
  public float[] read(String name, long[] shape) {
    long count = 1;
    for (long s : shape) {
      count *= s;
    }
    // One stream per tensor name: adding a tensor elsewhere leaves the others unchanged.
    SplittableRandom rng = new SplittableRandom(seed ^ ((long) name.hashCode() * 0x9E3779B97F4A7C15L));
    float[] data = new float[Math.toIntExact(count)];
    boolean norm = name.endsWith("norm.weight");
    boolean bias = name.endsWith(".bias");
    for (int i = 0; i < data.length; i++) {
      if (norm) {
        data[i] = (float) (randomiseNormsAndBiases ? 1 + 0.1 * rng.nextGaussian() : 1);
      } else if (bias) {
        data[i] = (float) (randomiseNormsAndBiases ? std * rng.nextGaussian() : 0);
      } else {
        data[i] = (float) (std * rng.nextGaussian());
      }
    }
    return data;
  }
}
