package org.tuninglab.peft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which module paths LoRA targets select, with PEFT's matching rule (equal, or a dotted suffix).
 */
public final class LoraTargets {
  private LoraTargets() {}

  /**
   * The paths among {@code modulePaths} (e.g. {@code model.layers.0.self_attn.q_proj}) that the
   * targets select, in model order.
   *
   * @throws IllegalArgumentException when a target selects nothing; the message lists the module
   *     names that do exist
   */
  public static List<String> select(Collection<String> modulePaths, List<String> targets) {
    if (targets.contains(LoraConfig.ALL_LINEAR)) {
      return List.copyOf(modulePaths);
    }
    List<String> selected = new ArrayList<>();
    for (String path : modulePaths) {
      if (targets.stream().anyMatch(t -> matches(path, t))) {
        selected.add(path);
      }
    }
    List<String> unmatched =
        targets.stream().filter(t -> modulePaths.stream().noneMatch(p -> matches(p, t))).toList();
    if (!unmatched.isEmpty()) {
      throw new IllegalArgumentException(
          "LoRA target_modules "
              + unmatched
              + " match no module of the model; its linear modules"
              + " are "
              + shortNames(modulePaths)
              + " (or \""
              + LoraConfig.ALL_LINEAR
              + "\")");
    }
    return selected;
  }

  /** The last path component of each module, sorted: what users write in target_modules. */
  static List<String> shortNames(Collection<String> paths) {
    TreeSet<String> names = new TreeSet<>();
    for (String p : paths) {
      names.add(p.substring(p.lastIndexOf('.') + 1));
    }
    return List.copyOf(names);
  }

  private static boolean matches(String path, String target) {
    return path.equals(target) || path.endsWith("." + target);
  }
}
