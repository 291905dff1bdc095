package jplay.engine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jplay.engine.inventory.Inventory;
import jplay.engine.inventory.InventoryReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jplay inventory}: shows an inventory as jplay reads it, as ansible-inventory does. */
@Command(
    name = "inventory",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Shows an inventory as jplay reads it (as ansible-inventory).",
      "",
      "Examples:",
      "  jplay inventory -i hosts --graph",
      "  jplay inventory -i hosts --host web1",
      ""
    })
final class InventoryCommand implements Callable<Integer> {
  private final Io io;

  InventoryCommand(Io io) {
    this.io = io;
  }

  @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
      description = "Inventory file, directory, or comma-separated host list (repeatable; default: the"
          + " configuration's inventory).")
  List<String> inventories = new ArrayList<>();

  @picocli.CommandLine.Mixin VaultOptions vault = new VaultOptions();
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--playbook-dir", paramLabel = "DIR",
      description = "Also read group_vars/ and host_vars/ beside playbooks in this folder.")
  Path playbookDir;

  static final class Mode {
    @Option(names = "--list", required = true, description = "All groups and hosts with their variables, as JSON.")
    boolean list;

    @Option(names = "--graph", required = true, arity = "0..1", paramLabel = "GROUP", fallbackValue = "all",
        description = "The group tree (from GROUP, default all).")
    String graph;

    @Option(names = "--host", required = true, paramLabel = "NAME", description = "One host's variables, as JSON.")
    String host;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  @Override
  public Integer call() throws Exception {
    vault.install(io);
    // As ansible-inventory, the configured inventory (jplay.cfg, ansible.cfg, ANSIBLE_INVENTORY) when no -i.
    List<String> sources = inventories.isEmpty() ? ConfigDefaults.of(spec).inventory() : inventories;
    if (sources.isEmpty()) {
      throw new UsageException("name an inventory with -i, or set inventory in jplay.cfg or ansible.cfg");
    }
    Inventory inventory = Inventory.load(sources, playbookDir);
    InventoryReport report = new InventoryReport(inventory);
    String out;
    if (mode.list) {
      out = report.list();
    } else if (mode.graph != null) {
      if (!inventory.groups().containsKey(mode.graph)) {
        throw new UsageException("no group named '" + mode.graph + "'"
            + jplay.engine.api.Suggestions.hint(mode.graph, inventory.groups().keySet()));
      }
      out = report.graph(mode.graph);
    } else {
      if (inventory.host(mode.host).isEmpty()) {
        throw new UsageException("no host named '" + mode.host + "'"
            + jplay.engine.api.Suggestions.hint(mode.host,
                inventory.hosts().stream().map(h -> h.name()).toList()));
      }
      out = report.host(mode.host);
    }
    io.out().println(out);
    return 0;
  }
}
