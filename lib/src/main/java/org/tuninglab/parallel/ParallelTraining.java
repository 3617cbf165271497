package org.tuninglab.parallel;

/**
 * Training over several devices of one node: each step gives the loss and gradients that
 * single-device training gives, plus what each device held and moved.
 */
public interface ParallelTraining extends AutoCloseable {

  /** One forward, backward and AdamW update at learning rate {@code lr}. */
  ParallelStep step(TokenRows rows, double lr);

  ParallelStrategy strategy();

  @Override
  void close();
}
