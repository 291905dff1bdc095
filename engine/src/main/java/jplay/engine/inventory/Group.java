package jplay.engine.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.yaml.Mark;

/**
 * One inventory group, as its sources define it.
 *
 * @param name the group name
 * @param children the direct child groups, in the order they were attached (as {@code ansible-inventory} shows)
 * @param hosts the hosts directly in this group (not those of child groups), in definition order
 * @param vars the variables set on the group inside inventory sources (group_vars/ files are not included)
 * @param depth distance from {@code all} along the longest path; deeper groups' vars win
 * @param priority {@code ansible_group_priority} (default 1); breaks ties between groups of equal depth
 * @param mark where the group was first declared
 */
public record Group(
    String name,
    List<String> children,
    List<String> hosts,
    Map<String, Object> vars,
    int depth,
    int priority,
    Mark mark) {
  public Group {
    children = List.copyOf(children);
    hosts = List.copyOf(hosts);
    // Map.copyOf refuses null values, and a variable may well be null.
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
  }
}
