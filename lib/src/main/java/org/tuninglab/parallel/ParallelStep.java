package org.tuninglab.parallel;

import java.util.List;
import java.util.Map;

/**
 * One training step over several devices.
 *
 * @param strategy how the work was split
 * @param loss the batch's mean token loss, as single-device training computes it
 * @param gradients each trainable tensor's gradient, reassembled from its shards, by the
 *     reference model's name (before the optimizer applied it)
 * @param devices per device: memory held and bytes moved
 * @param bubble the idle fraction of the pipeline schedule (0 for data and tensor parallel)
 * @param seconds wall time of the step on this machine (devices run one after another here)
 */
public record ParallelStep(
    ParallelStrategy strategy,
    double loss,
    Map<String, float[]> gradients,
    List<DeviceReport> devices,
    double bubble,
    double seconds) {

  /** Bytes moved between devices in the step, all devices together. */
  public long bytesMoved() {
    return devices.stream().mapToLong(DeviceReport::sentBytes).sum();
  }
}
