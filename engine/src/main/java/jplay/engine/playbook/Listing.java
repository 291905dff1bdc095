package jplay.engine.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code --list-tasks} and {@code --list-tags} show of a play, as ansible-playbook does: the tasks the tag
 * selection runs (through blocks, roles and static imports; a dynamic include is listed as itself), each with its
 * own and inherited tags.
 *
 * <pre>{@code
 * for (Listing.Entry e : Listing.tasks(play, new Tags(List.of("web"), List.of()))) {
 *   out.println("      " + e.name() + "\tTAGS: [" + String.join(", ", e.tags()) + "]");
 * }
 * out.println("      TASK TAGS: [" + String.join(", ", Listing.tags(play, Tags.ALL)) + "]");
 * }</pre>
 */
public final class Listing {
  private Listing() {}

  /**
   * One listed task.
   *
   * @param name as output shows it ({@code role : name} inside a role)
   * @param tags its tags and those it inherits, sorted
   */
  public record Entry(String name, List<String> tags) {}

  /** The play's own tags, sorted ({@code play #1 (web): web	TAGS: [...]}). */
  public static List<String> playTags(Play play) {
    return List.copyOf(new TreeSet<>(Tags.of(play.keywords())));
  }

  /** The tasks the selection runs, in order. */
  public static List<Entry> tasks(Play play, Tags selection) {
    List<Entry> out = new ArrayList<>();
    Set<String> inherited = new LinkedHashSet<>(Tags.of(play.keywords()));
    for (List<Step> section : List.of(play.preTasks(), play.roles(), play.body(), play.postTasks())) {
      walk(section, null, inherited, selection, out);
    }
    return out;
  }

  /** Every tag of the tasks the selection runs, sorted ({@code TASK TAGS: [...]}). */
  public static List<String> tags(Play play, Tags selection) {
    Set<String> all = new TreeSet<>();
    for (Entry e : tasks(play, selection)) {
      all.addAll(e.tags());
    }
    return List.copyOf(all);
  }

  private static void walk(List<Step> steps, Role role, Set<String> inherited, Tags selection, List<Entry> out) {
    for (Step s : steps) {
      Set<String> tags = new LinkedHashSet<>(inherited);
      tags.addAll(Tags.of(s.keywords()));
      if (s instanceof Block b) {
        Role r = b.role() != null ? b.role() : role;
        walk(b.block(), r, tags, selection, out);
        walk(b.rescue(), r, tags, selection, out);
        walk(b.always(), r, tags, selection, out);
      } else if (selection.selects(tags)) {
        String name = s instanceof Task t ? t.displayName() : ((Include) s).displayName();
        out.add(new Entry(role == null ? name : role.name() + " : " + name, List.copyOf(new TreeSet<>(tags))));
      }
    }
  }
}
