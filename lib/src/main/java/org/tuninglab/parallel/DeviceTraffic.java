package org.tuninglab.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Every copy between devices of one training step goes through here, so the bytes each device
 * sends and receives are counted where they move, not estimated.
 *
 * <p>A copy that autograd differentiates through (an activation of the forward pass) moves its
 * gradient back the other way in the backward pass: {@link #send} counts both when asked to.
 */
public final class DeviceTraffic {
  private final long[] sent;
  private final long[] received;

  public DeviceTraffic(int devices) {
    this.sent = new long[devices];
    this.received = new long[devices];
  }

  /**
   * Copies {@code x} from device index {@code from} to {@code to}, owned by {@code target}.
   *
   * @param backwardToo the copy is differentiated through: its gradient comes back in backward
   */
  public NDArray send(
      NDArray x, int from, int to, Device device, NDManager target, boolean backwardToo) {
    NDArray copy = x.toDevice(device, true);
    copy.attach(target);
    long bytes = bytes(x);
    count(from, to, bytes);
    if (backwardToo) {
      count(to, from, bytes);
    }
    return copy;
  }

  private void count(int from, int to, long bytes) {
    if (from != to) {
      sent[from] += bytes;
      received[to] += bytes;
    }
  }

  static long bytes(NDArray x) {
    return x.size() * x.getDataType().getNumOfBytes();
  }

  public long sent(int device) {
    return sent[device];
  }

  public long received(int device) {
    return received[device];
  }

  /** Bytes sent by all devices together. */
  public long total() {
    long t = 0;
    for (long s : sent) {
      t += s;
    }
    return t;
  }

  void reset() {
    java.util.Arrays.fill(sent, 0);
    java.util.Arrays.fill(received, 0);
  }
}
