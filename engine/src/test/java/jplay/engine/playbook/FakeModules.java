package jplay.engine.playbook;

import java.util.List;
import java.util.Map;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;

/**
 * Modules with specs shaped like the real ones (the real modules live in modules/, which depends on the engine):
 * enough for the parser to resolve names and check arguments. They are never planned.
 */
final class FakeModules {
  private FakeModules() {}

  static ModuleRegistry registry() {
    return new ModuleRegistry(
        List.of(
            module(
                ModuleSpec.builder("file")
                    .aliases("ansible.builtin.file", "ansible.legacy.file")
                    .param(Param.path("path").required().aliases("dest", "name"))
                    .param(Param.str("state").choices("absent", "directory", "file", "hard", "link", "touch"))
                    .param(Param.mode("mode"))
                    .param(Param.str("owner"))
                    .param(Param.str("group"))
                    .param(Param.bool("recurse").defaultValue(false))
                    .param(Param.path("src"))
                    .build()),
            module(
                ModuleSpec.builder("command")
                    .aliases("ansible.builtin.command", "ansible.legacy.command")
                    .freeForm()
                    .param(Param.str("cmd"))
                    .param(Param.list("argv").elements(ParamType.STR))
                    .param(Param.path("chdir"))
                    .param(Param.path("creates"))
                    .param(Param.path("removes"))
                    .param(Param.str("stdin"))
                    .param(Param.bool("strip_empty_ends").defaultValue(true))
                    .mutuallyExclusive("cmd", "argv")
                    .build()),
            module(
                ModuleSpec.builder("shell")
                    .aliases("ansible.builtin.shell", "ansible.legacy.shell")
                    .freeForm()
                    .param(Param.str("cmd"))
                    .param(Param.path("chdir"))
                    .param(Param.path("creates"))
                    .param(Param.path("removes"))
                    .param(Param.path("executable"))
                    .param(Param.str("stdin"))
                    .build()),
            module(
                ModuleSpec.builder("systemd")
                    .aliases("ansible.builtin.systemd", "ansible.builtin.systemd_service", "systemd_service")
                    .param(Param.str("name").aliases("service", "unit"))
                    .param(Param.str("state").choices("reloaded", "restarted", "started", "stopped"))
                    .param(Param.bool("enabled"))
                    .param(Param.bool("masked"))
                    .param(Param.bool("daemon_reload").defaultValue(false).aliases("daemon-reload"))
                    .requiredOneOf("state", "enabled", "masked", "daemon_reload")
                    .build()),
            module(
                ModuleSpec.builder("copy")
                    .aliases("ansible.builtin.copy")
                    .param(Param.path("dest").required())
                    .param(Param.path("src"))
                    .param(Param.str("content").noLog())
                    .param(Param.mode("mode"))
                    .param(Param.bool("backup").defaultValue(false))
                    .mutuallyExclusive("content", "src")
                    .build()),
            module(
                ModuleSpec.builder("sysctl")
                    .aliases("ansible.posix.sysctl")
                    .param(Param.str("name").required().aliases("key"))
                    .param(Param.str("value").aliases("val"))
                    .param(Param.str("state").choices("present", "absent").defaultValue("present"))
                    .param(Param.bool("reload").defaultValue(true))
                    .param(Param.bool("ignoreerrors").defaultValue(false))
                    .build()),
            module(ModuleSpec.builder("ping").aliases("ansible.builtin.ping").param(Param.str("data")).build())));
  }

  private static Module module(ModuleSpec spec) {
    return new Module() {
      @Override
      public ModuleSpec spec() {
        return spec;
      }

      @Override
      public Plan plan(ModuleContext ctx) {
        return Plan.noop("parser tests never run modules", Map.of());
      }
    };
  }
}
