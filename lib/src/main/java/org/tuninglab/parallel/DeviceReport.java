package org.tuninglab.parallel;

/**
 * What one device held and moved in a training step, in bytes.
 *
 * @param device the device's index in the list the training was given
 * @param parameterBytes the arrays its part of the model uses
 * @param gradientBytes gradients of its trainable arrays
 * @param optimizerBytes AdamW state of its trainable arrays
 * @param activationBytes arrays the forward pass left on it for backward (all micro-batches)
 * @param sentBytes bytes it copied to other devices (activations, their gradients, reductions)
 * @param receivedBytes bytes other devices copied to it
 */
public record DeviceReport(
    int device,
    long parameterBytes,
    long gradientBytes,
    long optimizerBytes,
    long activationBytes,
    long sentBytes,
    long receivedBytes) {

  /** Parameters, gradients, optimizer state and activations. */
  public long totalBytes() {
    return parameterBytes + gradientBytes + optimizerBytes + activationBytes;
  }
}
