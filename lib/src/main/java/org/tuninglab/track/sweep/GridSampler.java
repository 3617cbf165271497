package org.tuninglab.track.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trial n is the n-th combination, the last parameter varying fastest. */
public final class GridSampler implements Sampler {

  private final Map<String, ParamSpec> parameters;

  public GridSampler(Map<String, ParamSpec> parameters) {
    this.parameters = parameters;
  }

  @Override
  public Map<String, Object> suggest(int number, List<Observation> done) {
    Object[] names = parameters.keySet().toArray();
    Object[] values = new Object[names.length];
    int rest = number;
    for (int i = names.length - 1; i >= 0; i--) {
      ParamSpec p = parameters.get((String) names[i]);
      if (p instanceof ParamSpec.Categorical c) {
        values[i] = c.values().get(rest % c.values().size());
        rest /= c.values().size();
      } else if (p instanceof ParamSpec.Constant k) {
        values[i] = k.value();
      } else {
        throw new IllegalStateException("grid parameter " + names[i] + " is a distribution");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put((String) names[i], values[i]);
    }
    return out;
  }
}
