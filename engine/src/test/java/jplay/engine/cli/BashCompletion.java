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

  /**
   * zsh runs the same script through bashcompinit: the script's function is called in sh emulation, as zsh's
   * {@code _bash_complete} calls it; zsh itself then keeps the candidates that match what was typed.
   */
  private static final String ZSH_DRIVER = """
      autoload -U +X compinit && compinit -u -D
      source "$1"
      print -r -- "registered: ${_comps[jplay]}"
      line="$2"
      emulate -L sh
      setopt kshglob noshglob braceexpand
      COMP_LINE="$line"
      COMP_WORDS=( ${=line} )
      case "$line" in *" ") COMP_WORDS+=("") ;; esac
      COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
      COMP_POINT=${#line}
      _complete_jplay 2>/dev/null
      for c in "${COMPREPLY[@]}"; do printf '%s\\n' "$c"; done
      """;

  private BashCompletion() {}

  /**
   * What zsh gets for {@code line} from the script: the first line says how the script registered itself ({@code
   * registered: _bash_complete -F _complete_jplay ...}), the others are the candidates before zsh's own matching.
   */
  public static List<String> completeInZsh(Path script, Path cwd, String line) throws IOException,
      InterruptedException {
    return runDriver("zsh", List.of("-f"), ZSH_DRIVER, script, cwd, line);
  }

  /** The candidates the script offers for {@code line} (the cursor at its end), run in {@code cwd}. */
  public static List<String> complete(Path script, Path cwd, String line) throws IOException, InterruptedException {
    return runDriver("bash", List.of("--norc", "--noprofile"), DRIVER, script, cwd, line);
  }

  private static List<String> runDriver(String shell, List<String> flags, String code, Path script, Path cwd,
      String line) throws IOException, InterruptedException {
    Path driver = Files.createTempFile("complete", ".sh");
    try {
      Files.writeString(driver, code);
      List<String> command = new ArrayList<>();
      command.add(shell);
      command.addAll(flags);
      command.addAll(List.of(driver.toString(), script.toString(), line));
      Process p = new ProcessBuilder(command)
          .directory(cwd.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(shell + " failed completing '" + line + "': " + out);
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
