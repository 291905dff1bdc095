package jplay.engine.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Asks for secrets on the terminal without echo; from a pipe, reads one line (for scripted use). */
final class Prompts {
  private Prompts() {}

  static String secret(String prompt) throws UsageException {
    Console console = System.console();
    if (console != null) {
      char[] value = console.readPassword("%s", prompt);
      if (value == null) {
        throw new UsageException("no answer to '" + prompt.strip() + "'");
      }
      return new String(value);
    }
    try {
      System.err.print(prompt);
      System.err.flush();
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new UsageException("'" + prompt.strip() + "' needs an answer, but standard input is closed");
      }
      return line;
    } catch (IOException e) {
      throw new UsageException("cannot read the answer to '" + prompt.strip() + "': " + e.getMessage());
    }
  }
}
