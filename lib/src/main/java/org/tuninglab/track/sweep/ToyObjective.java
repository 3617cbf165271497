package org.tuninglab.track.sweep;

import java.util.Random;

/**
 * A stand-in for fine-tuning that drives tests and demos: a seeded noisy quadratic bowl in
 * {@code log10(lr)}, {@code log2(batch_size)} and {@code log2(r)} whose loss falls over
 * {@code epochs} like a training curve. Logs {@code train_loss} and {@code eval_loss} per epoch
 * (step = epoch) and honours early termination. Optional parameters: {@code epochs} (5),
 * {@code sleep_ms} per epoch (0), {@code noise} (0.02). Best near lr 3e-4, batch 8, r 8.
 */
public final class ToyObjective implements TrialFunction {

  @Override
  public void run(Trial trial) throws InterruptedException {
    double lr = trial.doubleParam("lr", 3e-4);
    double batch = trial.doubleParam("batch_size", 8);
    double r = trial.doubleParam("r", 8);
    int epochs = (int) trial.doubleParam("epochs", 5);
    long sleepMs = (long) trial.doubleParam("sleep_ms", 0);
    double noise = trial.doubleParam("noise", 0.02);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      double loss = loss(lr, batch, r, epoch, noise, trial.number());
      trial.log(epoch, "train_loss", 0.9 * loss);
      trial.log(epoch, "eval_loss", loss);
      if (sleepMs > 0) {
        Thread.sleep(sleepMs);
      }
      if (trial.shouldStop()) {
        return;
      }
    }
  }

  /** The loss after {@code epoch} epochs; the noise is seeded by the inputs, so reruns agree. */
  public static double loss(double lr, double batch, double r, int epoch, double noise, long seed) {
    double a = Math.log10(lr) + 3.5;
    double b = Math.log(batch / 8) / Math.log(2);
    double c = Math.log(r / 8) / Math.log(2);
    double bowl = 0.5 + 0.3 * a * a + 0.08 * b * b + 0.05 * c * c;
    long s = Double.doubleToLongBits(lr) * 31 + Double.doubleToLongBits(batch) * 17
        + Double.doubleToLongBits(r) * 13 + epoch * 7L + seed;
    return bowl + 1.5 / (epoch + 1) + noise * new Random(s).nextGaussian();
  }
}
