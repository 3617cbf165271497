package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.junit.jupiter.api.Test;

class StreamCoalescerTest {

  private final List<Message<?>> sent = new ArrayList<>();

  private static Message<ExecuteRequest> request() {
    return new Message<>(new Header<>(MessageType.EXECUTE_REQUEST), null);
  }

  private static Message<PublishStream> out(Message<?> parent, PublishStream.StreamType type, String text) {
    return new Message<>(parent, PublishStream.MESSAGE_TYPE, new PublishStream(type, text));
  }

  private static Message<PublishStatus> idle(Message<?> parent) {
    return new Message<>(parent, PublishStatus.MESSAGE_TYPE, PublishStatus.IDLE);
  }

  private List<String> texts() {
    return sent.stream().filter(m -> m.getContent() instanceof PublishStream)
        .map(m -> ((PublishStream) m.getContent()).getText()).toList();
  }

  @Test
  void linesOfOneStreamBecomeOneMessageSentBeforeTheStatus() {
    StreamCoalescer coalescer = new StreamCoalescer(sent::add, 100, 10_000);
    Message<?> cell = request();
    for (int i = 0; i < 5; i++) {
      coalescer.publish(out(cell, PublishStream.StreamType.OUT, "line " + i + "\n"));
    }
    assertTrue(sent.isEmpty(), "nothing is sent before a flush or another message");
    coalescer.publish(idle(cell));
    assertEquals(2, sent.size());
    assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", texts().get(0));
    assertEquals(cell.getHeader().getId(), sent.get(0).getParentHeader().getId());
    assertTrue(sent.get(1).getContent() instanceof PublishStatus);
  }

  @Test
  void stdoutAndStderrKeepTheirOrder() {
    StreamCoalescer coalescer = new StreamCoalescer(sent::add, 100, 10_000);
    Message<?> cell = request();
    coalescer.publish(out(cell, PublishStream.StreamType.OUT, "a\n"));
    coalescer.publish(out(cell, PublishStream.StreamType.OUT, "b\n"));
    coalescer.publish(out(cell, PublishStream.StreamType.ERR, "oops\n"));
    coalescer.publish(out(cell, PublishStream.StreamType.OUT, "c\n"));
    coalescer.flush();
    assertEquals(List.of("a\nb\n", "oops\n", "c\n"), texts());
  }

  @Test
  void largeOutputIsSentInChunksWithoutWaitingForTheTimer() {
    StreamCoalescer coalescer = new StreamCoalescer(sent::add, 1_000_000, 10_000_000);
    Message<?> cell = request();
    String line = "x".repeat(99) + "\n";
    for (int i = 0; i < 2_000; i++) {
      coalescer.publish(out(cell, PublishStream.StreamType.OUT, line));
    }
    assertTrue(sent.size() >= 200_000 / StreamCoalescer.FLUSH_CHARS, "size-triggered flushes: " + sent.size());
  }

  @Test
  void outputPastTheLimitIsCountedAndReportedOnceBeforeTheNextMessage() {
    StreamCoalescer coalescer = new StreamCoalescer(sent::add, 10, 1_000_000);
    Message<?> cell = request();
    for (int i = 0; i < 1_000; i++) {
      coalescer.publish(out(cell, PublishStream.StreamType.OUT, i + "\n"));
    }
    coalescer.publish(idle(cell));
    List<String> texts = texts();
    assertEquals(2, texts.size(), texts.toString());
    assertEquals(10, texts.get(0).lines().count());
    assertTrue(texts.get(1).startsWith("... output truncated: 990 more lines"), texts.get(1));
    assertTrue(sent.get(sent.size() - 1).getContent() instanceof PublishStatus, "the status is never dropped");
  }

  @Test
  void aLineSplitOverSeveralPrintsCountsOnce() {
    StreamCoalescer coalescer = new StreamCoalescer(sent::add, 1, 1_000_000);
    Message<?> cell = request();
    coalescer.publish(out(cell, PublishStream.StreamType.OUT, "shown\n"));
    coalescer.publish(out(cell, PublishStream.StreamType.OUT, "a"));
    coalescer.publish(out(cell, PublishStream.StreamType.OUT, "b\nc"));
    coalescer.publish(idle(cell));
    assertTrue(texts().get(1).startsWith("... output truncated: 2 more lines"), texts().toString());
  }

  @Test
  void theCharacterLimitCutsALineWithoutEnd() {
    StreamCoalescer coalescer = new StreamCoalescer(sent::add, 100, 5);
    Message<?> cell = request();
    coalescer.publish(out(cell, PublishStream.StreamType.OUT, "abcdefgh"));
    coalescer.publish(idle(cell));
    assertEquals("abcde", texts().get(0));
    assertTrue(texts().get(1).startsWith("\n... output truncated: 1 more lines"), texts().get(1));
  }

  @Test
  void eachRequestHasItsOwnBudget() {
    StreamCoalescer coalescer = new StreamCoalescer(sent::add, 2, 1_000_000);
    Message<?> first = request();
    for (int i = 0; i < 5; i++) {
      coalescer.publish(out(first, PublishStream.StreamType.OUT, "1\n"));
    }
    coalescer.publish(idle(first));
    Message<?> second = request();
    coalescer.publish(out(second, PublishStream.StreamType.OUT, "2\n"));
    coalescer.flush();
    assertEquals(List.of("1\n1\n", "... output truncated: 3 more lines (a cell shows at most 2 lines, 1000000 characters)\n", "2\n"), texts());
  }
}
