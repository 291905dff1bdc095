package jplay.engine.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.playbook.Block;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Role;
import jplay.engine.playbook.Task;

/**
 * One level a step is nested in, as the runner walks in: a block (or import, or role), or a dynamic include.
 *
 * @param keywords what the level passes down ({@code when}, {@code become}, {@code vars}, {@code tags}, ...)
 * @param role the role this level is the body of, or null
 * @param params parameters of this level, above all but extra vars: a role's params, an include's vars and item
 * @param rescuable the step runs in the {@code block} part of a block that has a {@code rescue}
 * @param file the file a dynamic include brought in, for include cycles; null otherwise
 */
record Frame(Map<String, Object> keywords, Role role, Map<String, Object> params, boolean rescuable, Path file) {
  static Frame of(Block b, boolean inRescuableBlock) {
    return new Frame(b.keywords(), b.role(), b.role() == null ? Map.of() : b.role().params(), inRescuableBlock, null);
  }

  /** A keyword as the step sees it: its own, else the nearest level's, else the play's. */
  static Object keyword(String name, Map<String, Object> own, List<Frame> frames, Play play) {
    if (own.containsKey(name)) {
      return own.get(name);
    }
    for (int i = frames.size() - 1; i >= 0; i--) {
      if (frames.get(i).keywords().containsKey(name)) {
        return frames.get(i).keywords().get(name);
      }
    }
    return play == null ? null : play.keywords().get(name);
  }

  /** Every keyword the step sees, merged: play, then levels outside in, then its own. */
  static Map<String, Object> effective(Map<String, Object> own, List<Frame> frames, Play play) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    // environment is merged, not replaced: every level's in a list, outermost first, the innermost wins a name
    // (Ansible's environment attribute extends its parents').
    List<Object> environments = new java.util.ArrayList<>();
    if (play != null) {
      out.putAll(play.keywords());
      addEnvironment(environments, play.keywords());
    }
    for (Frame f : frames) {
      out.putAll(f.keywords());
      addEnvironment(environments, f.keywords());
    }
    out.putAll(own);
    addEnvironment(environments, own);
    if (environments.size() > 1) {
      out.put("environment", List.copyOf(environments));
    }
    return out;
  }

  private static void addEnvironment(List<Object> out, Map<String, Object> keywords) {
    Object e = keywords.get("environment");
    if (e instanceof List<?> l) {
      out.addAll(l);
    } else if (e != null) {
      out.add(e);
    }
  }

  /** The {@code when} conditions of the levels and the step, outermost first: all must hold. */
  static List<Object> conditions(Map<String, Object> own, List<Frame> frames) {
    List<Object> out = new ArrayList<>();
    for (Frame f : frames) {
      add(out, f.keywords().get("when"));
    }
    add(out, own.get("when"));
    return out;
  }

  private static void add(List<Object> out, Object when) {
    if (when instanceof List<?> l) {
      out.addAll(l);
    } else if (when != null) {
      out.add(when);
    }
  }

  /** The step's tags with those of its levels and the play. */
  static Set<String> tags(Map<String, Object> own, List<Frame> frames, Play play) {
    Set<String> out = new LinkedHashSet<>();
    if (play != null) {
      out.addAll(jplay.engine.playbook.Tags.of(play.keywords()));
    }
    for (Frame f : frames) {
      out.addAll(jplay.engine.playbook.Tags.of(f.keywords()));
    }
    out.addAll(jplay.engine.playbook.Tags.of(own));
    return out;
  }

  /** The innermost role, or null. */
  static Role role(List<Frame> frames) {
    for (int i = frames.size() - 1; i >= 0; i--) {
      if (frames.get(i).role() != null) {
        return frames.get(i).role();
      }
    }
    return null;
  }

  /** The task's name as output shows it: {@code role : name} inside a role. */
  static String displayName(Task task, List<Frame> frames) {
    Role r = role(frames);
    return r == null ? task.displayName() : r.name() + " : " + task.displayName();
  }

  static boolean rescuable(List<Frame> frames) {
    return frames.stream().anyMatch(Frame::rescuable);
  }

  static List<Frame> with(List<Frame> frames, Frame f) {
    List<Frame> out = new ArrayList<>(frames);
    out.add(f);
    return List.copyOf(out);
  }
}
