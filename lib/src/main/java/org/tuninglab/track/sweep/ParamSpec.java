package org.tuninglab.track.sweep;

import java.util.List;
import java.util.Random;

/**
 * One parameter's values or distribution, as W&amp;B names them. Numeric distributions expose an
 * internal space (log for log-uniform) in which TPE fits its densities.
 */
public sealed interface ParamSpec {

  /** A draw from the distribution (or one of the values). */
  Object sample(Random random);

  /** {@code value: x}: a fixed value. */
  record Constant(Object value) implements ParamSpec {
    @Override
    public Object sample(Random random) {
      return value;
    }
  }

  /** {@code values: [..]}: one of a list, unordered. */
  record Categorical(List<Object> values) implements ParamSpec {
    @Override
    public Object sample(Random random) {
      return values.get(random.nextInt(values.size()));
    }
  }

  /** A numeric range: {@code uniform}, {@code log_uniform_values}, {@code int_uniform} and {@code q_} forms. */
  record Numeric(Scale scale, double min, double max, double q) implements ParamSpec {

    /** How values spread over {@code [min, max]}. */
    public enum Scale {
      LINEAR,
      LOG,
      INTEGER
    }

    /** Lower bound in the internal space. */
    public double low() {
      return scale == Scale.LOG ? Math.log(min) : scale == Scale.INTEGER ? min - 0.5 : min;
    }

    /** Upper bound in the internal space. */
    public double high() {
      return scale == Scale.LOG ? Math.log(max) : scale == Scale.INTEGER ? max + 0.4999 : max;
    }

    /** Maps a value to the internal space. */
    public double toInternal(double value) {
      return scale == Scale.LOG ? Math.log(value) : value;
    }

    /** Maps an internal point back to a parameter value (rounded, quantised, clamped). */
    public Object fromInternal(double u) {
      double x = scale == Scale.LOG ? Math.exp(u) : u;
      if (q > 0) {
        x = Math.round(x / q) * q;
      }
      if (scale == Scale.INTEGER) {
        return (int) Math.max(min, Math.min(max, Math.round(x)));
      }
      return Math.max(min, Math.min(max, x));
    }

    @Override
    public Object sample(Random random) {
      return fromInternal(low() + random.nextDouble() * (high() - low()));
    }
  }
}
