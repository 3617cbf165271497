package org.tuninglab.track.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Independent draws, seeded by sweep seed and trial number (reproducible on any node). */
public final class RandomSampler implements Sampler {

  private final Map<String, ParamSpec> parameters;
  private final long seed;

  public RandomSampler(Map<String, ParamSpec> parameters, long seed) {
    this.parameters = parameters;
    this.seed = seed;
  }

  @Override
  public Map<String, Object> suggest(int number, List<Observation> done) {
    Random random = Sampler.seeded(seed, number);
    Map<String, Object> out = new LinkedHashMap<>();
    parameters.forEach((name, p) -> out.put(name, p.sample(random)));
    return out;
  }
}
