package jplay.engine.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Asks for secrets on the terminal without echo; from a pipe, reads one line (for scripted use). */
final class Prompts {
  private Prompts() {}

  /** One line from stdin, read byte by byte: a buffered reader would swallow the next prompt's answer too. */
  private static String readLine() throws IOException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = System.in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

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
      String line = readLine();
      if (line == null) {
        throw new UsageException("'" + prompt.strip() + "' needs an answer, but standard input is closed");
      }
      return line;
    } catch (IOException e) {
      throw new UsageException("cannot read the answer to '" + prompt.strip() + "': " + e.getMessage());
    }
  }
}
