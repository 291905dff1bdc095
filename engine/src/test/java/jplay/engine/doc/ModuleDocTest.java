package jplay.engine.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import org.junit.jupiter.api.Test;

/** Every doc form comes from the spec alone; the real modules' pages are golden files in the modules' tests. */
class ModuleDocTest {
  static final ModuleSpec SPEC = ModuleSpec.builder("service")
      .aliases("ansible.builtin.service")
      .summary("Manage services")
      .description("Starts and stops services.")
      .param(Param.str("name").required().aliases("service").doc("The unit. Without .service."))
      .param(Param.str("state").choices("started", "stopped"))
      .param(Param.bool("enabled").defaultValue(false).doc("Start at boot, e.g. after a reboot. More text."))
      .param(Param.list("args").elements(ParamType.STR))
      .param(Param.str("password").noLog())
      .mutuallyExclusive("state", "args")
      .examples("- service: name=sshd state=started\n")
      .build();

  @Test
  void snippet() {
    assertEquals("""
        - name: Manage services
          service:
            name: ""         # required, str. The unit.
            # state: started # started|stopped
            # enabled: false # bool. Start at boot, e.g. after a reboot.
            # args: []       # list of str
            # password: ""   # str
        """, ModuleDoc.snippet(SPEC));
  }

  @Test
  void text() {
    String t = ModuleDoc.text(SPEC);
    assertTrue(t.startsWith("> SERVICE    (ansible.builtin.service)\n\n        Manage services\n\n"
        + "        Starts and stops services.\n\nOPTIONS (= is mandatory):\n\n= name\n        The unit. Without"
        + " .service.\n        aliases: [service]\n        type: str\n\n- state\n        choices: [started, stopped]\n"), t);
    assertTrue(t.contains("- password\n        no_log: true\n        type: str\n"), t);
    assertTrue(t.contains("RULES:\n\n        * at most one of: state, args\n\nCHECK MODE: supported\n\n"), t);
    assertTrue(t.endsWith("EXAMPLES:\n\n- service: name=sshd state=started\n\n"), t);
  }

  @Test
  void listPadsNames() {
    ModuleSpec ping = ModuleSpec.builder("ping").summary("Check").build();
    assertEquals("ping     Check\nservice  Manage services\n", ModuleDoc.list(List.of(ping, SPEC)));
  }

  @Test
  void markdownTable() {
    String md = ModuleDoc.markdown(SPEC);
    assertTrue(md.contains("| `name` | str | yes |  |  | `service` | The unit. Without .service. |\n"), md);
    assertTrue(md.contains("| `args` | list of str |  |  |  |  |  |\n"), md);
    assertTrue(md.contains("| `password` | str |  |  |  |  |  Never shown in output. |\n"), md);
  }
}
