package org.tuninglab.track.sweep;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Proposes the parameters of trial {@code number} from the trials completed so far. */
public interface Sampler {

  Map<String, Object> suggest(int number, List<Observation> done);

  /** The sampler for a spec's method. */
  static Sampler of(SweepSpec spec) {
    return switch (spec.method()) {
      case GRID -> new GridSampler(spec.parameters());
      case RANDOM -> new RandomSampler(spec.parameters(), spec.seed());
      case BAYES -> new TpeSampler(spec.parameters(), spec.seed());
    };
  }

  /** A generator seeded by the sweep seed and trial number, so trial n draws the same on any node. */
  static Random seeded(long seed, int number) {
    return new Random(seed * 0x9E3779B97F4A7C15L + number * 0xBF58476D1CE4E5B9L + 1);
  }
}
