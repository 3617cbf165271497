package org.tuninglab.lesson;

/**
 * Text a notebook shows as Markdown (the display extension renders it as {@code text/markdown}),
 * for conclusions written from a run's own numbers.
 *
 * @param text Markdown source
 */
public record Markdown(String text) {

  @Override
  public String toString() {
    return text;
  }
}
