package org.tuninglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavadocTextTest {

  private static final String MAX = """
       Returns the greater of two {@code int} values. That is, the
       result is the argument closer to the value of
       {@link Integer#MAX_VALUE}. If the arguments have the same value,
       the result is that same value.
      
       @param   a   an argument.
       @param   b   another argument.
       @return  the larger of {@code a} and {@code b}.
      """;

  @Test
  void summaryIsTheFirstParagraphWithTagsResolved() {
    assertEquals("Returns the greater of two int values. That is, the result is the argument closer to the value of "
        + "Integer.MAX_VALUE. If the arguments have the same value, the result is that same value.",
        JavadocText.plain(MAX, false));
  }

  @Test
  void fullTextKeepsTheBlockTagsOnTheirOwnLines() {
    String full = JavadocText.plain(MAX, true);
    assertEquals(true, full.contains("\n\n@param a an argument.") || full.contains("\n\n@param   a   an argument."), full);
    assertEquals(true, full.endsWith("@return  the larger of a and b."), full);
  }

  @Test
  void htmlBecomesTextAndLinkLabelsWin() {
    assertEquals("Use 1 < 2 & list. A, then B.",
        JavadocText.plain("Use <b>1 &lt; 2</b> &amp; {@linkplain java.util.List list}.<p>A, then B.", true)
            .replace("\n\n", " "));
  }
}
