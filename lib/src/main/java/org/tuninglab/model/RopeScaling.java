package org.tuninglab.model;

/**
 * {@code rope_scaling} from {@code config.json}: how rotary frequencies are stretched for long
 * contexts.
 *
 * @param type {@code "llama3"} or {@code "linear"}
 * @param factor how much longer than the original context the model is meant to run
 * @param lowFreqFactor llama3: wavelengths above {@code original / lowFreqFactor} are fully scaled
 * @param highFreqFactor llama3: wavelengths below {@code original / highFreqFactor} are kept
 * @param originalMaxPositionEmbeddings llama3: the context length the model was pretrained at
 */
public record RopeScaling(
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositionEmbeddings) {

  /** Linear position interpolation: positions are divided by {@code factor}. */
  public static RopeScaling linear(double factor) {
    return new RopeScaling("linear", factor, 0, 0, 0);
  }

  /** Llama 3.1's frequency-dependent scaling. */
  public static RopeScaling llama3(
      double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
    return new RopeScaling("llama3", factor, lowFreqFactor, highFreqFactor, originalMaxPositions);
  }

  /** Applies this scaling to the inverse frequencies of one head ({@code headDim / 2} values). */
  double[] scale(double[] inverseFrequencies) {
    double[] scaled = new double[inverseFrequencies.length];
    for (int i = 0; i < scaled.length; i++) {
      double f = inverseFrequencies[i];
      if (type.equals("linear")) {
        scaled[i] = f / factor;
        continue;
      }
      double wavelength = 2 * Math.PI / f;
      double lowFreqWavelength = originalMaxPositionEmbeddings / lowFreqFactor;
      double highFreqWavelength = originalMaxPositionEmbeddings / highFreqFactor;
      if (wavelength < highFreqWavelength) {
        scaled[i] = f;
      } else if (wavelength > lowFreqWavelength) {
        scaled[i] = f / factor;
      } else {
        double smooth =
            (originalMaxPositionEmbeddings / wavelength - lowFreqFactor)
                / (highFreqFactor - lowFreqFactor);
        scaled[i] = (1 - smooth) * f / factor + smooth * f;
      }
    }
    return scaled;
  }
}
