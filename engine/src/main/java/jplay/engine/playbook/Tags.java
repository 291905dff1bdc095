package jplay.engine.playbook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --tags} and {@code --skip-tags}, with Ansible's rules: {@code always} runs unless {@code --skip-tags}
 * names it, {@code never} runs only when {@code --tags} names one of its tags, and the special selectors
 * {@code all}, {@code tagged} and {@code untagged}.
 *
 * <pre>{@code
 * Tags t = new Tags(List.of("config"), List.of());
 * t.selects(Set.of("config", "web"));  // true
 * t.selects(Set.of());                  // false
 * }</pre>
 */
public record Tags(Set<String> only, Set<String> skip) {
  public static final Tags ALL = new Tags(List.of(), List.of());

  public Tags(Collection<String> only, Collection<String> skip) {
    this(split(only), split(skip));
  }

  public Tags {
    only = Set.copyOf(only.isEmpty() ? Set.of("all") : only);
    skip = Set.copyOf(skip);
  }

  /** Ansible accepts {@code --tags a,b} and repeated options alike. */
  private static Set<String> split(Collection<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  /** Whether a task with these (inherited and own) tags runs: Ansible's {@code Taggable.evaluate_tags}. */
  public boolean selects(Collection<String> taskTags) {
    Set<String> tags = new LinkedHashSet<>(taskTags);
    boolean run;
    if (tags.contains("always")) {
      run = true;
    } else if (only.contains("all") && !tags.contains("never")) {
      run = true;
    } else if (intersects(tags, only)) {
      run = true;
    } else if (only.contains("tagged") && !tags.isEmpty() && !tags.contains("never")) {
      run = true;
    } else {
      run = only.contains("untagged") && tags.isEmpty();
    }
    if (!run || skip.isEmpty()) {
      return run;
    }
    if (skip.contains("all")) {
      return tags.contains("always") && !skip.contains("always");
    }
    if (intersects(tags, skip)) {
      return false;
    }
    if (skip.contains("tagged") && !tags.isEmpty()) {
      return false;
    }
    return !(skip.contains("untagged") && tags.isEmpty());
  }

  private static boolean intersects(Set<String> a, Set<String> b) {
    for (String x : a) {
      if (b.contains(x)) {
        return true;
      }
    }
    return false;
  }

  /** The tags of a keyword map ({@code tags: [a, b]}), or none. */
  public static List<String> of(java.util.Map<String, Object> keywords) {
    List<String> out = new ArrayList<>();
    if (keywords.get("tags") instanceof List<?> l) {
      l.forEach(t -> out.add(String.valueOf(t)));
    }
    return out;
  }
}
