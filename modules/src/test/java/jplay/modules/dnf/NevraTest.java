package jplay.modules.dnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.modules.testing.LocalTarget;
import jplay.rpm.RpmTools;
import org.junit.jupiter.api.Test;

/** rpm's version order, checked against the real rpm (its Lua rpm.vercmp), and dnf's ways of naming a package. */
class NevraTest {
  private static final List<String[]> PAIRS =
      List.of(
          new String[] {"1.0", "1.0"}, new String[] {"1.0", "2.0"}, new String[] {"2.0.1", "2.0"},
          new String[] {"1.28.10", "1.28.9"}, new String[] {"1.0a", "1.0"}, new String[] {"1.0~rc1", "1.0"},
          new String[] {"1.0~rc1", "1.0~rc2"}, new String[] {"1.0^git1", "1.0"}, new String[] {"1.0^git1", "1.0.1"},
          new String[] {"1.0^", "1.0~"}, new String[] {"010", "10"}, new String[] {"1.el8", "1.el8_9"},
          new String[] {"150500.1.1", "150500.1.2"}, new String[] {"a", "1"}, new String[] {"1.0.", "1.0"},
          new String[] {"1_0", "1.0"}, new String[] {"2.module_el8", "2.module+el8.9.0"}, new String[] {"abc", "abd"});

  @Test
  void rpmvercmpAgreesWithRealRpm() {
    RpmTools.assumeDnf();
    StringBuilder lua = new StringBuilder();
    for (String[] p : PAIRS) {
      lua.append("print(rpm.vercmp(\"").append(p[0]).append("\", \"").append(p[1]).append("\") .. \" \") ");
    }
    CommandResult r = LocalTarget.local().run(Command.argv("rpm", "--eval", "%{lua: " + lua + "}"));
    assertTrue(r.ok(), r.stderr());
    List<Integer> real = java.util.Arrays.stream(r.stdout().strip().split("\\s+")).map(Integer::parseInt).toList();
    List<Integer> ours = new ArrayList<>();
    PAIRS.forEach(p -> ours.add(Nevra.rpmvercmp(p[0], p[1])));
    assertEquals(real, ours);
  }

  @Test
  void specsMatchAsDnfReadsThem() {
    Nevra p = new Nevra("kubelet", 0, "1.28.2", "150500.1.1", "x86_64");
    for (String yes :
        List.of("kubelet", "kubelet.x86_64", "kubelet-1.28.2", "kubelet-0:1.28.2", "kubelet-1.28.2-150500.1.1",
            "kubelet-1.28.2-150500.1.1.x86_64", "kube*", "kubelet-1.28*", "kubelet-1.28.[0-9]")) {
      assertTrue(p.matches(yes), yes);
    }
    for (String no : List.of("kubelet-1.28", "kubelet.aarch64", "kubeadm", "kubelet-1.28.2-1", "kubelet-1:1.28.2")) {
      assertFalse(p.matches(no), no);
    }
    assertEquals("conmon-3:2.1.8-1.module_el8.x86_64", new Nevra("conmon", 3, "2.1.8", "1.module_el8", "x86_64").toString());
  }
}
