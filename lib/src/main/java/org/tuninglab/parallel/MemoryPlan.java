package org.tuninglab.parallel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.tuninglab.peft.ParameterReport;

/**
 * What one GPU holds at the peak of a training step, by kind, and whether it fits.
 *
 * <p>{@code totalBytes = weightsBytes + gradientsBytes + optimizerBytes + activationsBytes +
 * workspaceBytes}. The peak is either late in the forward/backward of a micro-batch (activations
 * plus the head's gradients) or in the optimizer update (its temporaries, after the activations
 * are freed); {@code workspaceBytes} is what that peak adds to the activations.
 *
 * @param settings what was planned
 * @param gpu the GPU it was checked against
 * @param trainableParameters values the optimizer updates
 * @param totalParameters all values, base and adapters
 * @param weightsBytes the model's weights (NF4 codes and scales for a QLoRA base)
 * @param gradientsBytes one gradient per trainable value, in the model dtype
 * @param optimizerBytes optimizer state and float32 master weights
 * @param activationsBytes what a micro-batch's forward pass holds until its backward ends
 * @param workspaceBytes what the step's peak adds on top of the activations
 * @param totalBytes the peak
 * @param fits whether the peak is at most the GPU's memory
 * @param maxMicroBatch the largest micro-batch that fits (0: not even one sequence)
 * @param inventory the tensors behind the activations and workspace
 */
public record MemoryPlan(
    PlanSettings settings,
    GpuMemory gpu,
    long trainableParameters,
    long totalParameters,
    long weightsBytes,
    long gradientsBytes,
    long optimizerBytes,
    long activationsBytes,
    long workspaceBytes,
    long totalBytes,
    boolean fits,
    int maxMicroBatch,
    ActivationInventory inventory) {

  /** Weights, gradients and optimizer state: what every step holds whatever the batch. */
  public long staticBytes() {
    return weightsBytes + gradientsBytes + optimizerBytes;
  }

  /** The figures as JSON, byte counts exact. */
  public ObjectNode toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("method", settings.method().name());
    o.put("dtype", settings.dtype().label());
    o.put("optimizer", settings.optimizer().label());
    o.put("micro_batch", settings.microBatch());
    o.put("seq_len", settings.seqLen());
    o.put("checkpointing", settings.checkpointing());
    o.put("gpu", gpu.name());
    o.put("gpu_bytes", gpu.bytes());
    o.put("trainable_parameters", trainableParameters);
    o.put("total_parameters", totalParameters);
    o.put("weights_bytes", weightsBytes);
    o.put("gradients_bytes", gradientsBytes);
    o.put("optimizer_bytes", optimizerBytes);
    o.put("activations_bytes", activationsBytes);
    o.put("workspace_bytes", workspaceBytes);
    o.put("total_bytes", totalBytes);
    o.put("fits", fits);
    o.put("max_micro_batch", maxMicroBatch);
    return o;
  }

  /** A few lines for a terminal. */
  public String format() {
    PlanSettings s = settings;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "%s, %s, %s, micro-batch %d x %d tokens%s: %,d of %,d parameters train%n",
        s.method().name(), s.dtype().label(), s.optimizer().label(), s.microBatch(), s.seqLen(),
        s.checkpointing() ? ", activation checkpointing" : "", trainableParameters,
        totalParameters));
    String[][] rows = {
      {"weights", ParameterReport.bytes(weightsBytes)},
      {"gradients", ParameterReport.bytes(gradientsBytes)},
      {"optimizer state", ParameterReport.bytes(optimizerBytes)},
      {"activations", ParameterReport.bytes(activationsBytes)},
      {"workspace", ParameterReport.bytes(workspaceBytes)},
      {"total per GPU", ParameterReport.bytes(totalBytes)},
    };
    for (String[] row : rows) {
      sb.append(String.format(Locale.ROOT, "  %-16s %12s%n", row[0], row[1]));
    }
    sb.append(String.format(Locale.ROOT, "%s (%s): %s; largest micro-batch that fits: %d%n",
        gpu.name(), ParameterReport.bytes(gpu.bytes()), fits ? "fits" : "does not fit",
        maxMicroBatch));
    return sb.toString();
  }
}
