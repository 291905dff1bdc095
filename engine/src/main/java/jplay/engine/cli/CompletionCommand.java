package jplay.engine.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jplay completion bash|zsh}: a completion script generated from the command line model, so that it never
 * falls behind the options. zsh loads the same bash script through {@code bashcompinit}, which the script turns on
 * itself when it runs under zsh.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Prints a shell completion script for jplay's commands, options and module names.",
      "",
      "Examples:",
      "  source <(jplay completion bash)      # in this shell",
      "  jplay completion bash > ~/.local/share/bash-completion/completions/jplay",
      "  jplay completion zsh > ~/.jplay.zsh  # and 'source ~/.jplay.zsh' in ~/.zshrc",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the script was printed", "5:bad options"})
final class CompletionCommand implements Callable<Integer> {
  private final Io io;

  CompletionCommand(Io io) {
    this.io = io;
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash or zsh.")
  String shell;

  /** The shells there are scripts for. */
  static final class Shells implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of("bash", "zsh").iterator();
    }
  }

  /** What picocli writes for an option whose values it cannot complete. */
  private static final String INVENTORY_NOTHING = """
          -i|--inventory)
            return
            ;;
      """;

  /**
   * An inventory is a file, a folder or a host list; picocli completes files only for Path options, and {@code
   * -i} is a string because it may be a host list: so its values complete as files here.
   */
  private static final String INVENTORY_FILES = """
          -i|--inventory)
            local IFS=$'\\n'
            type compopt &>/dev/null && compopt -o filenames
            COMPREPLY=( $( compgen -f -- "${curr_word}" ) ) # files
            return $?
            ;;
      """;

  @Override
  public Integer call() throws UsageException {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UsageException("completion takes bash or zsh, not '" + shell + "'");
    }
    io.out().print(script());
    io.out().flush();
    return 0;
  }

  /** The script for the whole command line (the same for bash and zsh). */
  String script() {
    String script = AutoComplete.bash("jplay", spec.root().commandLine());
    if (!script.contains(INVENTORY_NOTHING)) {
      // picocli changed how it writes the script: fail loudly rather than complete -i wrongly.
      throw new IllegalStateException("the generated completion script has no '-i|--inventory)' case to extend");
    }
    return script.replace(INVENTORY_NOTHING, INVENTORY_FILES);
  }
}
