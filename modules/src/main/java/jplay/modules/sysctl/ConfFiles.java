package jplay.modules.sysctl;

import java.util.List;
import jplay.engine.api.Command;
import jplay.engine.api.Diff;
import jplay.engine.api.Shell;

/**
 * What the configuration-file modules (sysctl, modprobe) share: an atomic rewrite of a small text file on the
 * target, and a diff made of several sections (a file, a live value) for the one {@link Diff} a task shows.
 */
public final class ConfFiles {
  private ConfFiles() {}

  /** One part of a diff: a file's text, or a live setting as {@code key: value} lines. */
  public record Section(String header, String before, String after) {}

  /**
   * Replaces {@code path} with {@code content} (sent on stdin) atomically: a temporary file in the same directory,
   * the old file's mode and owner (0644 for a new file), then {@code mv}. A symlink is followed, so the file it
   * points to is rewritten and the link stays (Ansible's atomic_move replaces the link with a file).
   */
  public static Command write(String path, String content) {
    String script =
        "f=" + Shell.quote(path) + "\n"
            + "if [ -L \"$f\" ]; then f=$(readlink -f -- \"$f\") || exit; fi\n"
            + "t=$(mktemp \"${f%/*}/.jplay.XXXXXX\") || exit\n"
            + "if [ -e \"$f\" ]; then chmod \"$(stat -c %a -- \"$f\")\" \"$t\" && chown \"$(stat -c %u:%g -- \"$f\")\" \"$t\";"
            + " else chmod 0644 \"$t\"; fi &&\n"
            + "cat > \"$t\" && mv -f -- \"$t\" \"$f\" || { rm -f -- \"$t\"; exit 1; }\n";
    return Command.of(script).withStdin(content);
  }

  /** One section as it is, or several under {@code header}, each introduced by a {@code ==> name <==} line. */
  public static Diff diff(String header, List<Section> sections) {
    if (sections.isEmpty()) {
      return null;
    }
    if (sections.size() == 1) {
      Section s = sections.get(0);
      return Diff.of(s.header(), s.before(), s.after());
    }
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    for (Section s : sections) {
      before.append("==> ").append(s.header()).append(" <==\n").append(withEol(s.before()));
      after.append("==> ").append(s.header()).append(" <==\n").append(withEol(s.after()));
    }
    return Diff.of(header, before.toString(), after.toString());
  }

  private static String withEol(String text) {
    return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
  }

  /** The text split into lines without their line breaks; a final line break does not make an empty line. */
  public static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(body.split("\n", -1));
  }

  /** The lines joined, each ending with a line break. */
  public static String join(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    return sb.toString();
  }
}
