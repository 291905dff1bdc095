package jplay.engine.cli;

import java.util.Iterator;
import jplay.engine.playbook.ModuleRegistry;

/**
 * The registered modules' names, as completion candidates for {@code -m} and {@code jplay doc}: picocli asks for
 * them only when it generates a completion script (and for help that shows candidates, which ours does not).
 */
final class ModuleNames implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return ModuleRegistry.discover().names().iterator();
  }
}
