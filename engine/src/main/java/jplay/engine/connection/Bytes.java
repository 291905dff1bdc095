package jplay.engine.connection;

import java.io.ByteArrayOutputStream;

/** A growable byte array that can be searched in place: a command's output while it is still arriving. */
class Bytes extends ByteArrayOutputStream {
  /** The backing array; valid up to {@link #size()}. */
  final byte[] raw() {
    return buf;
  }

  /** Where {@code needle} first starts at or after {@code from}, or -1. */
  final int indexOf(byte[] needle, int from) {
    outer:
    for (int i = from; i <= count - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
