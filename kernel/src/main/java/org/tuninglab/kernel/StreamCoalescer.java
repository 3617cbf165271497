package org.tuninglab.kernel;

import java.util.Objects;
import java.util.function.Consumer;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

/**
 * Sits between the kernel and the IOPub socket: joins consecutive stream messages of one
 * request and stream into one, and caps what one request may print.
 *
 * <p>Each {@code println} of a cell arrives as its own stream message; sent one by one, a loop
 * printing 30,000 lines outran the client, ZeroMQ dropped messages past its high-water mark and
 * with them the {@code idle} status, and the cell never finished. Joined (by size here, by time
 * through {@link #flush()} on a timer, as ipykernel does) a flood becomes a few large messages.
 * Beyond {@code maxLines} lines or {@code maxChars} characters per request the text is counted,
 * not sent, and one {@code output truncated: N more lines} line stands for it, sent before the
 * request's next other message (its result, error or {@code idle} status). Other messages pass
 * through unchanged and in order: pending text is sent before them.
 */
final class StreamCoalescer {

  /** Pending text is sent once it reaches this many characters. */
  static final int FLUSH_CHARS = 64 * 1024;

  private final Consumer<Message<?>> sink;
  private final int maxLines;
  private final int maxChars;

  private Message<PublishStream> pendingFirst;
  private final StringBuilder pending = new StringBuilder();

  private String request;
  private long linesShown;
  private long charsShown;
  private boolean shownEndsLine = true;
  private boolean dropping;
  private long droppedNewlines;
  private boolean droppedPartialLine;
  private Message<PublishStream> droppedContext;

  /**
   * @param sink sends a message on the socket
   * @param maxLines lines one request may show
   * @param maxChars characters one request may show
   */
  StreamCoalescer(Consumer<Message<?>> sink, int maxLines, int maxChars) {
    if (maxLines < 1 || maxChars < 1) {
      throw new IllegalArgumentException("output limits must be positive, got " + maxLines + " lines, " + maxChars + " chars");
    }
    this.sink = sink;
    this.maxLines = maxLines;
    this.maxChars = maxChars;
  }

  /** Takes one outgoing IOPub message: a stream message is joined or counted, any other is sent after the pending text. */
  @SuppressWarnings("unchecked")
  synchronized void publish(Message<?> message) {
    if (message.getContent() instanceof PublishStream) {
      acceptStream((Message<PublishStream>) message);
      return;
    }
    flush();
    reportDropped();
    sink.accept(message);
  }

  /** Sends the pending text, if any, as one stream message. */
  synchronized void flush() {
    if (pending.length() == 0) {
      return;
    }
    Message<PublishStream> first = pendingFirst;
    PublishStream content = new PublishStream(first.getContent().getStreamType(), pending.toString());
    pending.setLength(0);
    pendingFirst = null;
    sink.accept(withContent(first, content));
  }

  private void acceptStream(Message<PublishStream> message) {
    String requestId = parentId(message);
    if (!Objects.equals(requestId, request)) {
      flush();
      reportDropped();
      startRequest(requestId);
    }
    if (pendingFirst != null && pendingFirst.getContent().getStreamType() != message.getContent().getStreamType()) {
      flush();
    }
    String text = message.getContent().getText();
    int shown = dropping ? 0 : fitting(text);
    if (shown > 0) {
      if (pendingFirst == null) {
        pendingFirst = message;
      }
      pending.append(text, 0, shown);
      charsShown += shown;
      shownEndsLine = text.charAt(shown - 1) == '\n';
    }
    if (shown < text.length()) {
      dropping = true;
      droppedContext = message;
      for (int i = shown; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          droppedNewlines++;
        }
      }
      droppedPartialLine = text.charAt(text.length() - 1) != '\n';
    }
    if (pending.length() >= FLUSH_CHARS) {
      flush();
    }
  }

  /** How many leading characters of {@code text} the request's budget still allows; counts the lines shown. */
  private int fitting(String text) {
    if (linesShown >= maxLines) {
      return 0;
    }
    int room = (int) Math.min(text.length(), maxChars - charsShown);
    for (int i = 0; i < room; i++) {
      if (text.charAt(i) == '\n' && ++linesShown == maxLines) {
        return i + 1;
      }
    }
    return room;
  }

  private void startRequest(String requestId) {
    request = requestId;
    linesShown = 0;
    charsShown = 0;
    shownEndsLine = true;
    dropping = false;
  }

  /** Sends the truncation line for the text dropped since the last one. */
  private void reportDropped() {
    long lines = droppedNewlines + (droppedPartialLine ? 1 : 0);
    if (lines == 0) {
      return;
    }
    String notice = (shownEndsLine ? "" : "\n") + "... output truncated: " + lines + " more lines (a cell shows at most "
        + maxLines + " lines, " + maxChars + " characters)\n";
    shownEndsLine = true;
    droppedNewlines = 0;
    droppedPartialLine = false;
    sink.accept(withContent(droppedContext, new PublishStream(droppedContext.getContent().getStreamType(), notice)));
  }

  private static String parentId(Message<?> message) {
    return message.hasParentHeader() ? message.getParentHeader().getId() : null;
  }

  private static Message<PublishStream> withContent(Message<PublishStream> like, PublishStream content) {
    Header<PublishStream> header = new Header<>(like, PublishStream.MESSAGE_TYPE);
    return new Message<>(like.getIdentities(), header, like.getParentHeader(), like.getMetadata(), content, like.getBlobs());
  }
}
