package jplay.engine.playbook;

import java.util.Map;
import jplay.engine.yaml.Mark;

/**
 * One entry of a task list as written: a module call ({@link Task}), a {@link Block} (also what a static import or a
 * role becomes), or a dynamic {@link Include} resolved while the play runs.
 */
public sealed interface Step permits Task, Block, Include {
  /** The keywords written on the entry, plain values ({@code when}, {@code tags}, {@code vars}, ...). */
  Map<String, Object> keywords();

  Mark mark();
}
