package org.tuninglab.corpus;

import static org.tuninglab.data.synthetic.Lexicon.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.rag.Chunk;
import org.tuninglab.rag.Document;
import org.tuninglab.rag.HeadingChunker;

/**
 * Small manuals of town services (a library, a bus company, a school, a swimming pool) with random
 * facts, so reading in the mix is not only the cluster handbook's template: each fact is a
 * sentence, asked about by a question, in a markdown section that {@link HeadingChunker} makes one
 * source.
 */
final class TownManualGenerator {
  private static final List<String> SURNAMES =
      List.of("Brown", "Okafor", "Silva", "Novak", "Berg", "Khan", "Moreau", "Tanaka", "Walsh",
          "Costa", "Lind", "Patel");
  private static final List<String> STREETS =
      List.of("Mill Lane", "Station Road", "High Street", "Oak Avenue", "Church Street",
          "Bridge Road", "Park Row", "Harbour Way");

  private final SplittableRandom rng;
  private final StringBuilder markdown = new StringBuilder();
  private final List<String[]> facts = new ArrayList<>(); // {section slug, question, sentence}
  private String title;
  private String section;

  private TownManualGenerator(SplittableRandom rng) {
    this.rng = rng;
  }

  /** The next manual: a random service of a random town. */
  static Manual next(SplittableRandom rng) {
    TownManualGenerator g = new TownManualGenerator(rng);
    String town = CoinedNames.town(rng);
    String file = switch (rng.nextInt(4)) {
      case 0 -> g.library(town);
      case 1 -> g.buses(town);
      case 2 -> g.school(town);
      default -> g.pool(town);
    };
    Document doc = new Document(file, g.title, g.markdown.append('\n').toString(), file,
        Map.of("format", "markdown"));
    List<Chunk> chunks = HeadingChunker.create().chunk(doc);
    List<Manual.Question> questions = new ArrayList<>();
    for (String[] f : g.facts) {
      String id = chunks.stream().map(Chunk::id).filter(c -> c.endsWith("#" + f[0])).findFirst()
          .orElseThrow(() -> new IllegalStateException("no chunk for section " + f[0]));
      questions.add(new Manual.Question(f[1], id, f[2]));
    }
    return new Manual(chunks, questions);
  }

  private String library(String town) {
    title(town + " Library");
    heading("Opening hours");
    fact("The library opens at " + time(8, 10) + " and closes at " + time(17, 20)
        + " on weekdays.", "When does the library open on weekdays?",
        "When does the library close on weekdays?");
    fact("On " + pick(Lexicon.DAYS, rng) + " it is closed all day.",
        "On which day is the library closed?");
    heading("Borrowing");
    fact("You can borrow up to " + between(3, 15) + " books at a time.",
        "How many books can I borrow at a time?");
    fact("Books are lent for " + between(2, 6) + " weeks, and a late book costs "
        + between(5, 50) + " cents a day.", "How long can I keep a book?",
        "What does a late book cost?");
    heading("Rooms");
    fact("Study rooms are on floor " + between(1, 4) + " and are booked at the front desk.",
        "Which floor are the study rooms on?");
    fact("The children's corner is run by " + person() + ".", "Who runs the children's corner?");
    heading("Contact");
    fact("Write to " + email("library", town) + " or call " + phone() + ".",
        "What is the library's email address?", "Which number do I call?");
    return slug(town) + "-library.md";
  }

  private String buses(String town) {
    title(town + " Buses");
    heading("Tickets");
    fact("A single ticket costs $" + between(1, 4) + " and a day pass costs $"
        + between(5, 12) + ".", "How much is a single ticket?", "How much is a day pass?");
    fact("Children under " + between(5, 12) + " travel free.", "Which children travel free?");
    heading("Routes");
    fact("Line " + between(1, 40) + " runs from the station to "
        + pick(Lexicon.PLACES, rng) + ".", "Which line goes from the station?");
    fact("The bus to " + CoinedNames.town(rng) + " leaves every " + between(10, 60)
        + " minutes.", "How often does the bus to the next town leave?");
    heading("Lost property");
    fact("Lost items are kept at the depot on " + pick(STREETS, rng) + " for "
        + between(7, 90) + " days.", "Where are lost items kept?");
    fact("Ask for " + person() + " at the depot desk.",
        "Who do I ask at the depot?");
    heading("Night buses");
    fact("The last bus leaves the square at " + time(22, 23) + ".",
        "When does the last bus leave?");
    return slug(town) + "-buses.md";
  }

  private String school(String town) {
    title(town + " School");
    heading("Term dates");
    fact("The autumn term starts on " + Lexicon.pick(Lexicon.MONTHS.subList(7, 9), rng) + " "
        + between(1, 28) + ".", "When does the autumn term start?");
    fact("The spring holiday lasts " + between(1, 3) + " weeks.",
        "How long is the spring holiday?");
    heading("Staff");
    fact("The head teacher is " + person() + ".", "Who is the head teacher?");
    fact("Questions about lunch go to " + person() + " in room " + room() + ".",
        "Who answers questions about lunch?");
    heading("Lunch");
    fact("Lunch costs $" + between(2, 6) + " a day and is served at " + time(11, 13) + ".",
        "How much does lunch cost?", "When is lunch served?");
    heading("Clubs");
    fact("The chess club meets on " + pick(Lexicon.DAYS.subList(0, 5), rng) + " in room "
        + room() + ".", "Where does the chess club meet?");
    return slug(town) + "-school.md";
  }

  private String pool(String town) {
    title(town + " Swimming Pool");
    heading("Opening times");
    fact("The pool opens at " + time(6, 9) + " every day.", "When does the pool open?");
    fact("Lanes are kept for adults from " + time(18, 20) + " until closing.",
        "When are the lanes kept for adults?");
    heading("Prices");
    fact("Entry costs $" + between(2, 8) + ", and a card of " + between(5, 20)
        + " swims costs $" + between(20, 90) + ".", "How much is one entry?",
        "What does a card of swims cost?");
    heading("Lessons");
    fact("Swimming lessons for children are on " + pick(Lexicon.DAYS, rng) + " with "
        + person() + ".", "Who teaches the children's swimming lessons?");
    fact("A course of lessons costs $" + between(30, 120) + ".",
        "How much is a course of lessons?");
    heading("Rules");
    fact("Children under " + between(6, 10) + " must swim with an adult.",
        "Which children must swim with an adult?");
    return slug(town) + "-pool.md";
  }

  private void title(String title) {
    this.title = title;
    markdown.append("# ").append(title).append("\n");
  }

  private void heading(String heading) {
    section = heading.toLowerCase(Locale.ROOT).replace(' ', '-');
    markdown.append("\n## ").append(heading).append("\n\n");
  }

  /** A sentence of the current section and the questions it answers. */
  private void fact(String sentence, String... questions) {
    markdown.append(markdown.charAt(markdown.length() - 1) == '\n' ? "" : " ").append(sentence);
    for (String q : questions) {
      facts.add(new String[] {section, q, sentence});
    }
  }

  private int between(int lo, int hi) {
    return lo + rng.nextInt(hi - lo + 1);
  }

  private String time(int fromHour, int toHour) {
    return between(fromHour, toHour) + ":" + pick(List.of("00", "15", "30", "45"), rng);
  }

  private String person() {
    String surname = rng.nextBoolean() ? pick(SURNAMES, rng) : CoinedNames.surname(rng);
    return CoinedNames.person(rng).name() + " " + surname;
  }

  private String room() {
    return pick(List.of("A", "B", "C", "D"), rng) + between(1, 30);
  }

  private String phone() {
    return "555-" + between(1000, 9999);
  }

  private static String email(String service, String town) {
    return service + "@" + slug(town) + ".example.org";
  }

  private static String slug(String town) {
    return town.toLowerCase(Locale.ROOT);
  }
}
