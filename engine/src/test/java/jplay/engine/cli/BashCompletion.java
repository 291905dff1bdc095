package jplay.engine.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a generated completion script in a real bash, as bash does on TAB: the words of a partial command line go
 * into {@code COMP_WORDS}, the script's function fills {@code COMPREPLY}, and that is the answer. Public for the
 * modules' test, which completes module names.
 */
public final class BashCompletion {
  private static final String DRIVER = """
      source "$1"
      line="$2"
      COMP_LINE="$line"
      read -r -a COMP_WORDS <<< "$line"
      if [[ "$line" == *" " ]]; then COMP_WORDS+=(""); fi
      COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
      COMP_POINT=${#line}
      # compopt complains outside a real completion; what it would set does not change COMPREPLY.
      _complete_jplay 2>/dev/null
      for c in "${COMPREPLY[@]}"; do printf '%s\\n' "$c"; done
      """;

  private BashCompletion() {}

  /** The candidates the script offers for {@code line} (the cursor at its end), run in {@code cwd}. */
  public static List<String> complete(Path script, Path cwd, String line) throws IOException, InterruptedException {
    Path driver = Files.createTempFile("complete", ".sh");
    try {
      Files.writeString(driver, DRIVER);
      Process p = new ProcessBuilder("bash", "--norc", "--noprofile", driver.toString(), script.toString(), line)
          .directory(cwd.toFile())
          .redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("bash failed completing '" + line + "': " + out);
      }
      List<String> candidates = new ArrayList<>();
      for (String c : out.split("\n")) {
        if (!c.isEmpty()) {
          candidates.add(c);
        }
      }
      return candidates;
    } finally {
      Files.deleteIfExists(driver);
    }
  }

  /** {@code bash -n}: the script parses; the error bash gives otherwise. */
  public static void assertParses(Path script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("bash -n rejects " + script + ":\n" + out);
    }
  }
}
