package jplay.engine.inventory;

import jplay.engine.yaml.Mark;

/**
 * One inventory host.
 *
 * @param name the inventory name ({@code inventory_hostname})
 * @param mark where the host was first defined (for messages)
 * @param implicit true only for the implicit localhost, which no inventory source defines
 */
public record Host(String name, Mark mark, boolean implicit) {
  @Override
  public String toString() {
    return name;
  }
}
