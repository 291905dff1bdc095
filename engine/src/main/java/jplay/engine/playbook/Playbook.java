package jplay.engine.playbook;

import java.nio.file.Path;
import java.util.List;

/** A parsed, checked playbook: its plays in order and the file they came from. */
public record Playbook(Path file, List<Play> plays) {
  public Playbook {
    plays = List.copyOf(plays);
  }

  /** The folder the playbook sits in: base of relative paths, {@code group_vars/} and {@code host_vars/}. */
  public Path dir() {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }
}
