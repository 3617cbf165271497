package org.tuninglab.track.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Bayesian optimisation with a tree-structured Parzen estimator (Bergstra et al., 2011). The
 * completed trials are split into the best {@code gamma} fraction and the rest; for each parameter
 * a density {@code l} is fitted to the good values and {@code g} to the others (Gaussian kernels
 * plus a uniform prior, in log space for log-uniform parameters), and of {@code CANDIDATES} draws
 * from {@code l} the one maximising {@code l / g} is taken. Parameters are treated independently,
 * as in hyperopt's default. The first {@code STARTUP} trials are random.
 */
public final class TpeSampler implements Sampler {

  static final int STARTUP = 5;
  private static final int CANDIDATES = 24;
  private static final double GAMMA = 0.25;

  private final Map<String, ParamSpec> parameters;
  private final long seed;
  private final RandomSampler startup;

  public TpeSampler(Map<String, ParamSpec> parameters, long seed) {
    this.parameters = parameters;
    this.seed = seed;
    this.startup = new RandomSampler(parameters, seed);
  }

  @Override
  public Map<String, Object> suggest(int number, List<Observation> done) {
    List<Observation> finite = done.stream().filter(o -> Double.isFinite(o.loss())).toList();
    if (finite.size() < STARTUP) {
      return startup.suggest(number, done);
    }
    List<Observation> sorted = new ArrayList<>(finite);
    sorted.sort(Comparator.comparingDouble(Observation::loss));
    int nGood = Math.max(1, (int) Math.ceil(GAMMA * sorted.size()));
    List<Observation> good = sorted.subList(0, nGood);
    List<Observation> bad = sorted.subList(nGood, sorted.size());
    Random random = Sampler.seeded(seed, number);
    Map<String, Object> out = new LinkedHashMap<>();
    parameters.forEach(
        (name, p) -> {
          if (p instanceof ParamSpec.Numeric n) {
            out.put(name, numeric(n, values(good, name, n), values(bad, name, n), random));
          } else if (p instanceof ParamSpec.Categorical c) {
            out.put(name, categorical(c, name, good, bad, random));
          } else {
            out.put(name, p.sample(random));
          }
        });
    return out;
  }

  private static double[] values(List<Observation> obs, String name, ParamSpec.Numeric n) {
    return obs.stream()
        .map(o -> o.params().get(name))
        .filter(v -> v instanceof Number)
        .mapToDouble(v -> n.toInternal(((Number) v).doubleValue()))
        .toArray();
  }

  private static Object numeric(ParamSpec.Numeric p, double[] good, double[] bad, Random random) {
    double lo = p.low();
    double hi = p.high();
    double bestScore = Double.NEGATIVE_INFINITY;
    double best = lo + random.nextDouble() * (hi - lo);
    double sigmaGood = bandwidth(lo, hi, good.length);
    double sigmaBad = bandwidth(lo, hi, bad.length);
    for (int i = 0; i < CANDIDATES; i++) {
      double x = drawParzen(good, sigmaGood, lo, hi, random);
      double score = Math.log(parzen(x, good, sigmaGood, lo, hi)) - Math.log(parzen(x, bad, sigmaBad, lo, hi));
      if (score > bestScore) {
        bestScore = score;
        best = x;
      }
    }
    return p.fromInternal(best);
  }

  // Scott-like rule: narrower kernels as evidence accumulates, never wider than the range.
  private static double bandwidth(double lo, double hi, int n) {
    return (hi - lo) * 0.5 * Math.pow(Math.max(1, n), -0.2);
  }

  private static double drawParzen(double[] centres, double sigma, double lo, double hi, Random random) {
    int k = random.nextInt(centres.length + 1);
    if (k == centres.length) {
      return lo + random.nextDouble() * (hi - lo);
    }
    for (int tries = 0; tries < 16; tries++) {
      double x = centres[k] + sigma * random.nextGaussian();
      if (x >= lo && x <= hi) {
        return x;
      }
    }
    return Math.max(lo, Math.min(hi, centres[k]));
  }

  // Mixture of a uniform prior and one Gaussian per observation, equally weighted.
  private static double parzen(double x, double[] centres, double sigma, double lo, double hi) {
    double sum = 1.0 / (hi - lo);
    for (double c : centres) {
      double z = (x - c) / sigma;
      sum += Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
    }
    return sum / (centres.length + 1);
  }

  private static Object categorical(
      ParamSpec.Categorical p, String name, List<Observation> good, List<Observation> bad, Random random) {
    int k = p.values().size();
    double[] l = counts(p, name, good);
    double[] g = counts(p, name, bad);
    double lSum = 0;
    for (double v : l) {
      lSum += v;
    }
    Object best = p.values().get(0);
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < CANDIDATES; i++) {
      double u = random.nextDouble() * lSum;
      int j = 0;
      while (j < k - 1 && (u -= l[j]) > 0) {
        j++;
      }
      double score = Math.log(l[j] / lSum) - Math.log(g[j] / sum(g));
      if (score > bestScore) {
        bestScore = score;
        best = p.values().get(j);
      }
    }
    return best;
  }

  private static double[] counts(ParamSpec.Categorical p, String name, List<Observation> obs) {
    double[] c = new double[p.values().size()];
    java.util.Arrays.fill(c, 1.0);
    for (Observation o : obs) {
      int idx = indexOf(p.values(), o.params().get(name));
      if (idx >= 0) {
        c[idx] += 1;
      }
    }
    return c;
  }

  // YAML ints and JSON-read doubles compare by numeric value.
  private static int indexOf(List<Object> values, Object v) {
    for (int i = 0; i < values.size(); i++) {
      Object a = values.get(i);
      if (Objects.equals(a, v)
          || (a instanceof Number x && v instanceof Number y && x.doubleValue() == y.doubleValue())) {
        return i;
      }
    }
    return -1;
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s;
  }
}
