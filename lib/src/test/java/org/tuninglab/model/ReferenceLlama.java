package org.tuninglab.model;

import java.util.Map;

/**
 * An independent float64 Llama forward in plain Java, written from the model's definition (not
 * from {@link LlamaModel}), for parity tests. One unpadded sequence at a time, no cache.
 */
final class ReferenceLlama {
  private final ModelConfig c;
  private final Map<String, float[]> w;

  ReferenceLlama(ModelConfig config, Map<String, float[]> weights) {
    this.c = config;
    this.w = weights;
  }

  /** Logits {@code [T][V]} for the token ids. */
  double[][] logits(int[] ids) {
    int t = ids.length;
    int d = c.hiddenSize();
    double[][] x = new double[t][d];
    float[] embed = w.get(LlamaWeights.EMBED);
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = embed[ids[i] * d + j];
      }
    }
    for (int layer = 0; layer < c.numLayers(); layer++) {
      String p = "model.layers." + layer + ".";
      double[][] h = rmsNorm(x, w.get(p + "input_layernorm.weight"));
      double[][] attn = attention(h, p);
      add(x, attn);
      h = rmsNorm(x, w.get(p + "post_attention_layernorm.weight"));
      double[][] gate = linear(h, p + "mlp.gate_proj");
      double[][] up = linear(h, p + "mlp.up_proj");
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < gate[i].length; j++) {
          double g = gate[i][j];
          gate[i][j] = g / (1 + Math.exp(-g)) * up[i][j];
        }
      }
      add(x, linear(gate, p + "mlp.down_proj"));
    }
    x = rmsNorm(x, w.get(LlamaWeights.FINAL_NORM));
    float[] head = c.tieWordEmbeddings() ? embed : w.get(LlamaWeights.LM_HEAD);
    return matmulTransposed(x, head, c.vocabSize(), null);
  }

  private double[][] attention(double[][] h, String p) {
    int t = h.length;
    int hd = c.headDim();
    double[][] q = linear(h, p + "self_attn.q_proj");
    double[][] k = linear(h, p + "self_attn.k_proj");
    double[][] v = linear(h, p + "self_attn.v_proj");
    for (int i = 0; i < t; i++) {
      rotate(q[i], c.numHeads(), i);
      rotate(k[i], c.numKvHeads(), i);
    }
    double[][] out = new double[t][c.numHeads() * hd];
    for (int head = 0; head < c.numHeads(); head++) {
      int kvHead = head / c.groupSize();
      for (int i = 0; i < t; i++) {
        double[] scores = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          if (c.slidingWindow() > 0 && i - j >= c.slidingWindow()) {
            scores[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          double s = 0;
          for (int e = 0; e < hd; e++) {
            s += q[i][head * hd + e] * k[j][kvHead * hd + e];
          }
          scores[j] = s / Math.sqrt(hd);
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j <= i; j++) {
          for (int e = 0; e < hd; e++) {
            out[i][head * hd + e] += scores[j] / sum * v[j][kvHead * hd + e];
          }
        }
      }
    }
    return linear(out, p + "self_attn.o_proj");
  }

  /** Rotates each head of one position's vector in place. */
  private void rotate(double[] vec, int heads, int position) {
    int hd = c.headDim();
    for (int head = 0; head < heads; head++) {
      int base = head * hd;
      for (int i = 0; i < hd / 2; i++) {
        double invFreq = 1.0 / Math.pow(c.ropeTheta(), 2.0 * i / hd);
        if (c.ropeScaling() != null) {
          invFreq = c.ropeScaling().scale(new double[] {invFreq})[0];
        }
        double angle = position * invFreq;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int a = c.ropeLayout() == RopeLayout.HALF_SPLIT ? base + i : base + 2 * i;
        int b = c.ropeLayout() == RopeLayout.HALF_SPLIT ? base + i + hd / 2 : base + 2 * i + 1;
        double x0 = vec[a];
        double x1 = vec[b];
        vec[a] = x0 * cos - x1 * sin;
        vec[b] = x0 * sin + x1 * cos;
      }
    }
  }

  private double[][] rmsNorm(double[][] x, float[] weight) {
    double[][] out = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      double ss = 0;
      for (double v : x[i]) {
        ss += v * v;
      }
      double inv = 1 / Math.sqrt(ss / x[i].length + c.rmsNormEps());
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j] * inv * weight[j];
      }
    }
    return out;
  }

  private double[][] linear(double[][] x, String module) {
    float[] weight = w.get(module + ".weight");
    int out = weight.length / x[0].length;
    return matmulTransposed(x, weight, out, w.get(module + ".bias"));
  }

  private static double[][] matmulTransposed(double[][] x, float[] weight, int out, float[] bias) {
    int in = x[0].length;
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = bias == null ? 0 : bias[o];
        for (int e = 0; e < in; e++) {
          s += x[i][e] * weight[o * in + e];
        }
        y[i][o] = s;
      }
    }
    return y;
  }

  private static void add(double[][] x, double[][] y) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] += y[i][j];
      }
    }
  }
}
