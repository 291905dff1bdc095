package jplay.engine.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The jplay command line run in-process, with what it printed; public for the modules' console tests. */
public record Cli(int exitCode, String out, String err) {
  public static Cli run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  public static Cli run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  /** With {@code stdin} as standard input (what {@code jplay console} reads from a pipe). */
  public static Cli run(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(stdin, o, e, args);
    }
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static Cli stdin(String text, List<String> args) {
    return run(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), args.toArray(String[]::new));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
  }
}
