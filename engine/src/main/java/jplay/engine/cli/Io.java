package jplay.engine.cli;

import java.io.PrintStream;

/** Where a command writes: the real terminal, or a test's buffers. */
record Io(PrintStream out, PrintStream err) {
  static Io system() {
    return new Io(System.out, System.err);
  }
}
