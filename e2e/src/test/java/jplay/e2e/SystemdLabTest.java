package jplay.e2e;

import static jplay.e2e.Lab.play;
import static jplay.e2e.Lab.playbook;
import static jplay.e2e.Lab.root;
import static jplay.e2e.Lab.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * systemd, systemd_service and service against the VM's real systemd (PID 1): start, stop, enable, disable, mask,
 * restart, daemon-reload, each checked with systemctl itself. The methods build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdLabTest {
  private static final String UNIT = "jplay-e2e";

  /** In /usr/lib like a packaged unit: /etc/systemd/system is where masking puts its /dev/null link. */
  @BeforeAll
  static void installUnit() {
    root("cat > /usr/lib/systemd/system/" + UNIT + ".service <<'EOT'\n"
        + "[Unit]\nDescription=jplay e2e unit\n\n[Service]\nExecStart=/bin/sleep infinity\n\n"
        + "[Install]\nWantedBy=multi-user.target\nEOT\nsystemctl daemon-reload");
    assertEquals("inactive", active());
    assertEquals("disabled", enabled());
  }

  @AfterAll
  static void removeUnit() {
    root("systemctl unmask " + UNIT + "; systemctl disable --now " + UNIT + "; rm -f /usr/lib/systemd/system/" + UNIT
        + ".service; systemctl daemon-reload");
  }

  private static String active() {
    return sh("systemctl is-active " + UNIT).line();
  }

  private static String enabled() {
    return sh("systemctl is-enabled " + UNIT).line();
  }

  private static String mainPid() {
    return root("systemctl show -p MainPID --value " + UNIT);
  }

  private static final String START = playbook("""
      - systemd:
          name: jplay-e2e
          state: started
          enabled: true
      """);

  @Test
  @Order(1)
  void checkModeReportsTheStartButLeavesTheUnitAlone() {
    play(START, "--check").expect(1);
    assertEquals("inactive", active());
    assertEquals("disabled", enabled());
  }

  @Test
  @Order(2)
  void startedAndEnabledThenNoChangeOnTheSecondRun() {
    play(START).expect(1);
    assertEquals("active", active());
    assertEquals("enabled", enabled());
    play(START).expect(0);
  }

  @Test
  @Order(3)
  void restartedAlwaysRestarts() {
    String restart = playbook("""
        - systemd_service:
            name: jplay-e2e.service
            state: restarted
        """);
    String before = mainPid();
    play(restart).expect(1);
    String after = mainPid();
    assertNotEquals(before, after, "restarted must start a new process");
    assertEquals("active", active());
    play(restart).expect(1);
    assertNotEquals(after, mainPid());
  }

  @Test
  @Order(4)
  void serviceStoppedAndDisabledCheckModeFirst() {
    String stop = playbook("""
        - service:
            name: jplay-e2e
            state: stopped
            enabled: false
        """);
    play(stop, "--check").expect(1);
    assertEquals("active", active());
    assertEquals("enabled", enabled());
    play(stop).expect(1);
    assertEquals("inactive", active());
    assertEquals("disabled", enabled());
    play(stop).expect(0);
  }

  @Test
  @Order(5)
  void maskedUnitCannotBeStartedUntilUnmasked() {
    String mask = playbook("""
        - systemd:
            name: jplay-e2e
            masked: true
        """);
    play(mask, "--check").expect(1);
    assertEquals("disabled", enabled());
    play(mask).expect(1);
    assertEquals("masked", enabled());
    play(mask).expect(0);

    play(START).expectFailure("masked");
    assertEquals("inactive", active());

    play(playbook("""
        - systemd:
            name: jplay-e2e
            masked: false
            state: started
        """)).expect(1);
    assertEquals("active", active());
    assertEquals("disabled", enabled());
  }

  @Test
  @Order(6)
  void daemonReloadPicksUpAChangedUnitFile() {
    root("systemctl start " + UNIT);  // loaded and running, so systemd notices that its file changed
    root("sed -i 's/^Description=.*/Description=jplay e2e unit, changed/' /usr/lib/systemd/system/" + UNIT + ".service");
    assertEquals("yes", root("systemctl show -p NeedDaemonReload --value " + UNIT));
    // As in Ansible, daemon_reload alone is not reported as a change.
    play(playbook("""
        - systemd:
            daemon_reload: true
        """)).expect(0);
    assertEquals("no", root("systemctl show -p NeedDaemonReload --value " + UNIT));
    assertEquals("jplay e2e unit, changed", root("systemctl show -p Description --value " + UNIT));
  }
}
