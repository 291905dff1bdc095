package jplay.engine.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** Where a command reads and writes: the real terminal, or a test's buffers. */
record Io(InputStream in, PrintStream out, PrintStream err) {
  static Io system() {
    return new Io(System.in, System.out, System.err);
  }
}
