package jplay.engine.repl;

import java.util.List;
import java.util.Map;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.playbook.ModuleRegistry;

/** Modules with real-looking specs that are never run: the console's parsing and completion read only specs. */
final class Modules {
  private Modules() {}

  static ModuleRegistry registry() {
    return new ModuleRegistry(List.of(
        module(ModuleSpec.builder("service").aliases("ansible.builtin.service").summary("Manage services")
            .param(Param.str("name").required().doc("The service. Its unit name."))
            .param(Param.str("state").choices("started", "stopped", "restarted"))
            .param(Param.bool("enabled"))
            .build()),
        module(ModuleSpec.builder("copy").summary("Copy files")
            .param(Param.path("src")).param(Param.path("dest").required()).build()),
        module(ModuleSpec.builder("shell").freeForm().param(Param.path("chdir")).build())));
  }

  private static Module module(ModuleSpec spec) {
    return new Module() {
      @Override
      public ModuleSpec spec() {
        return spec;
      }

      @Override
      public Plan plan(jplay.engine.api.ModuleContext ctx) {
        return Plan.noop("never run in these tests", Map.of());
      }
    };
  }
}
