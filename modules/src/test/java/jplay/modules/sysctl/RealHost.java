package jplay.modules.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.ThreadLocalRandom;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.modules.testing.LocalTarget;
import org.junit.jupiter.api.Assumptions;

/**
 * This machine as the target, optionally inside a network namespace of its own ({@code ip netns exec NAME sh -c}),
 * so real {@code sysctl} can change per-namespace keys (net.ipv4.ip_forward) without touching the host's.
 */
public final class RealHost {
  private static final LocalTarget HERE = LocalTarget.local();

  private RealHost() {}

  /** This machine, as it is. */
  public static LocalTarget local() {
    return LocalTarget.local();
  }

  /**
   * A fresh network namespace, removed when the target is closed. Needs root: outside CI a non-root run skips with a
   * message; under CI=true (where tests run as root) it fails.
   */
  public static LocalTarget namespace() {
    requireRoot();
    String name = "jplay-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    CommandResult r = HERE.run(Command.argv("ip", "netns", "add", name));
    if (!r.ok()) {
      fail("cannot create network namespace " + name + ": " + r.stderr().strip());
    }
    return LocalTarget.builder()
        .prefix("ip", "netns", "exec", name)
        .host(name)
        .onClose(
            () -> {
              CommandResult del = HERE.run(Command.argv("ip", "netns", "del", name));
              assertEquals(0, del.rc(), "ip netns del " + name + ": " + del.stderr());
            })
        .build();
  }

  public static void requireRoot() {
    boolean root = HERE.run(Command.of("id -u")).stdout().strip().equals("0");
    if (!root && "true".equals(System.getenv("CI"))) {
      fail("these tests need root (CI runs as root): network namespaces and sysctl");
    }
    Assumptions.assumeTrue(root, "not root: the real sysctl and network namespace tests need root");
  }
}
