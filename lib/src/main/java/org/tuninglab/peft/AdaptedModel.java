package org.tuninglab.peft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.score.ForwardPass;

/**
 * A model prepared for one fine-tuning method: its forward pass (scored, trained and decoded
 * like any other), the arrays that train, and how it saves itself.
 *
 * <p>Run each step inside a sub-manager of {@code base().manager()}; intermediate arrays belong to
 * the manager of the input ids.
 */
public interface AdaptedModel extends ForwardPass, AutoCloseable {

  /** The arrays an optimiser updates, with gradients attached, by their PEFT-style names. */
  List<NamedArray> trainableArrays();

  /** Training mode turns dropout on; evaluation (the default) turns it off. */
  @Override
  void setTraining(boolean training);

  /** The method and its settings, for reports. */
  MethodSpec method();

  /**
   * Writes what trained: the whole model in Hugging Face layout (full fine-tune), or the adapter
   * in PEFT's format ({@link MethodSpec#savesAdapter()}).
   *
   * @param dir the folder to write
   * @param pretrained the loaded model this adapts (its tokenizer files travel with a whole model)
   * @param baseModel the base's Hub name or path, recorded in an adapter's config
   * @throws IOException if a file cannot be written
   */
  void save(Path dir, PretrainedModel pretrained, String baseModel) throws IOException;

  /** Releases the arrays this method added; the base model stays open. */
  @Override
  void close();
}
