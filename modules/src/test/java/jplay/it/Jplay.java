package jplay.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jplay.engine.cli.Main;

/** Runs the jplay command line in-process and keeps what it printed. */
record Jplay(int exitCode, String out, String err) {
  static Jplay run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args.toArray(String[]::new));
    }
    return new Jplay(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Jplay run(String... args) {
    return run(List.of(args));
  }

  /** The PLAY RECAP line of {@code host}, whitespace collapsed: "h1 : ok=3 changed=1 ...". */
  String recap(String host) {
    for (String line : out.split("\n")) {
      String l = line.strip();
      if (l.startsWith(host + " ") && l.contains(": ok=")) {
        return l.replaceAll("\\s+", " ");
      }
    }
    throw new AssertionError("no recap line for " + host + " in:\n" + out + "\n" + err);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
  }
}
