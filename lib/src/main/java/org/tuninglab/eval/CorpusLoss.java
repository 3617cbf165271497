package org.tuninglab.eval;

import java.io.IOException;
import java.nio.file.Path;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.PackedSequences;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.TextCorpus;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.score.TokenLoss;

/**
 * A model's loss on plain text — a pretraining holdout — packed into windows as pretraining saw it,
 * every token scored. Measured before and after a fine-tune it shows how much general text the
 * model forgot ("catastrophic forgetting"), through any method's forward pass.
 */
public final class CorpusLoss {
  private static final int BATCH = 16;

  private CorpusLoss() {}

  /**
   * Scores a text file of documents separated by blank lines.
   *
   * @param model the tokenizer and the arrays' manager
   * @param forward the forward pass to score (the base model's, or an adapted model's)
   * @param textFile the documents
   * @param window tokens per packed sequence, at most the model's context
   * @return the mean loss per predicted token, and their number
   * @throws IOException if the file cannot be read
   */
  public static TokenLoss compute(
      PretrainedModel model, ForwardPass forward, Path textFile, int window) throws IOException {
    int separator =
        model.tokenizer().specialTokens().pad()
            .orElseGet(() -> model.tokenizer().specialTokens().eos().iterator().next());
    EncodedDataset packed =
        PackedSequences.pack(
            model.tokenizer(), TextCorpus.documents(textFile), separator, window,
            textFile.getFileName().toString());
    SftCollator collator =
        SftCollator.builder().setTokenizer(model.tokenizer()).setMaxLength(window).build();
    forward.setTraining(false);
    return HoldoutLoss.compute(forward, collator.batches(packed, BATCH), model.model().manager());
  }
}
