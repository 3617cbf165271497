package org.tuninglab.serve;

import org.tuninglab.chat.ChatReply;

/** What the worker reports for one job: text deltas, then exactly one {@link Done} or {@link Failed}. */
sealed interface GenerationEvent {

  /** New reply text, in order. */
  record Delta(String text) implements GenerationEvent {}

  /** The finished reply; the last event of a job. */
  record Done(ChatReply reply) implements GenerationEvent {}

  /** The job failed or was abandoned; the last event of a job. */
  record Failed(RuntimeException error) implements GenerationEvent {}
}
