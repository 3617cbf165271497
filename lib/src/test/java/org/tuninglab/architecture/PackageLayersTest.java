package org.tuninglab.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's layering, read from its main sources' imports: no package cycle, and the packages
 * below training do not import it (see docs/architecture.md).
 */
class PackageLayersTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final String ROOT = "org.tuninglab.";
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(static\\s+)?(org\\.tuninglab\\.[\\w.]+)\\s*;", Pattern.MULTILINE);

  @Test
  void libHasNoPackageCycle() throws IOException {
    List<List<String>> cycles = cycles(dependencies());
    assertEquals(List.of(), cycles, "package cycles in lib (each line: packages that import each other)");
  }

  @Test
  void packagesBelowTrainingDoNotImportIt() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    List<String> violations = new ArrayList<>();
    for (String lower : List.of("data", "chat", "eval", "score", "peft", "generate", "model")) {
      deps.forEach((from, to) -> {
        if (within(from, lower) && to.stream().anyMatch(p -> within(p, "train"))) {
          violations.add(from + " -> train");
        }
      });
    }
    deps.forEach((from, to) -> {
      if (within(from, "model") && to.stream().anyMatch(p -> within(p, "generate") || within(p, "hub"))) {
        violations.add(from + " -> generate or hub");
      }
    });
    assertEquals(List.of(), violations);
  }

  @Test
  void theCycleFinderFindsACycle() {
    Map<String, Set<String>> graph = new TreeMap<>();
    graph.put("a", Set.of("b"));
    graph.put("b", Set.of("c"));
    graph.put("c", Set.of("a", "d"));
    graph.put("d", Set.of());
    assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
  }

  private static boolean within(String pkg, String top) {
    String p = ROOT + top;
    return pkg.equals(p) || pkg.startsWith(p + ".");
  }

  /** Each package of lib's main sources and the lib packages its files import. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    assertTrue(Files.isDirectory(SOURCES), "run from lib/: " + SOURCES.toAbsolutePath());
    Map<String, Set<String>> deps = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      String text = Files.readString(file);
      Matcher pm = PACKAGE.matcher(text);
      if (!pm.find()) {
        continue;
      }
      String pkg = pm.group(1);
      Set<String> to = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
      Matcher im = IMPORT.matcher(text);
      while (im.find()) {
        String name = im.group(2);
        String target = packageOf(name, im.group(1) != null);
        if (!target.equals(pkg)) {
          to.add(target);
        }
      }
    }
    deps.values().forEach(to -> to.retainAll(deps.keySet()));
    return deps;
  }

  /** The package of an imported type (or, for a static import, of the member's type). */
  private static String packageOf(String name, boolean isStatic) {
    String[] parts = name.split("\\.");
    int end = parts.length - (isStatic ? 2 : 1);
    // A nested type (Outer.Inner): packages are lower case, types are not.
    while (end > 0 && Character.isUpperCase(parts[end - 1].charAt(0))) {
      end--;
    }
    return String.join(".", java.util.Arrays.copyOf(parts, end));
  }

  /** Strongly connected components of more than one package (Tarjan), sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, out, counter);
      }
    }
    out.sort((x, y) -> x.get(0).compareTo(y.get(0)));
    return out;
  }

  private static void connect(
      String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
      List<List<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        component.sort(String::compareTo);
        out.add(component);
      }
    }
  }
}
