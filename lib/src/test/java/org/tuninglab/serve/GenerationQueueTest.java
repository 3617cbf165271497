package org.tuninglab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.testing.TinyModelDir;

/** The worker's queue: every job answered in order, and an abandoned job frees the model. */
class GenerationQueueTest {
  @TempDir Path dir;

  /** Waits for a job's terminal event, collecting its deltas. */
  private static Object finish(GenerationQueue.Job job, StringBuilder deltas) throws Exception {
    while (true) {
      GenerationEvent event = job.poll(60_000);
      if (event instanceof GenerationEvent.Delta delta) {
        deltas.append(delta.text());
      } else if (event instanceof GenerationEvent.Done done) {
        return done.reply();
      } else {
        return ((GenerationEvent.Failed) event).error();
      }
    }
  }

  @Test
  void jobsAreAnsweredFirstComeFirstServedAndAbandonedOnesStop() throws Exception {
    TinyModelDir.write(dir, 31, TensorDType.F32, 64 << 20);
    try (LocalChatModel model =
            LocalChatModel.load(dir.toString(), null, Device.cpu(), DataType.FLOAT32);
        GenerationQueue queue = new GenerationQueue(model, 16)) {
      GenerationConfig config = GenerationConfig.greedy(6);
      // Precondition: this greedy continuation has no end token early on, so only the
      // cancellation can end the long job below before its 1500 tokens.
      assertEquals(FinishReason.LENGTH,
          model.complete("abc", GenerationConfig.greedy(200), d -> {}).finishReason());
      // A long job whose client leaves after its first delta.
      GenerationQueue.Job leaving =
          queue.submit(model.textPrompt("abc"), GenerationConfig.greedy(1500));
      List<GenerationQueue.Job> jobs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        jobs.add(queue.submit(model.textPrompt("job " + i), config));
      }
      assertInstanceOf(GenerationEvent.Delta.class, leaving.poll(60_000));
      leaving.cancelled = true;
      StringBuilder rest = new StringBuilder();
      ChatModelException e = assertInstanceOf(ChatModelException.class, finish(leaving, rest));
      assertTrue(e.getMessage().startsWith("abandoned"), e.getMessage());
      assertTrue(rest.length() < 200, "stopped within 200 tokens, not " + rest.length());
      for (int i = 0; i < 3; i++) {
        StringBuilder deltas = new StringBuilder();
        ChatReply reply = assertInstanceOf(ChatReply.class, finish(jobs.get(i), deltas));
        assertEquals(model.complete("job " + i, config, d -> {}), reply);
        assertEquals(reply.text(), deltas.toString());
      }
      assertEquals(0, queue.waiting());
    }
  }
}
