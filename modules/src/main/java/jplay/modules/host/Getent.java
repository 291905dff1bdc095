package jplay.modules.host;

import java.util.List;
import java.util.Optional;
import jplay.engine.api.Command;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/** One entry of a name service database ({@code passwd}, {@code group}, {@code shadow}) through {@code getent}. */
final class Getent {
  private Getent() {}

  /**
   * The entry's colon-separated fields, empty when there is none. getent exits 2 for a missing key, which is an
   * answer, not a failure.
   */
  static Fact<Optional<List<String>>> entry(String database, String key) {
    String script = "getent " + database + " -- " + Shell.quote(key) + "; echo \"rc=$?\"";
    return Fact.of("getent " + database + " " + key, Command.of(script), r -> parse(database, key, r.stdout()));
  }

  static Optional<List<String>> parse(String database, String key, String out) {
    List<String> lines = out.lines().toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (last.equals("rc=2")) {
      return Optional.empty();
    }
    if (!last.equals("rc=0") || lines.size() < 2) {
      throw new ModuleException(
          "cannot look up " + key + " in the " + database + " database: getent " + (last.isEmpty() ? "printed nothing" : "ended with " + last));
    }
    return Optional.of(List.of(lines.get(0).split(":", -1)));
  }
}
