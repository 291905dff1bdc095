package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One playbook that uses most of the language (a role with a dependency, defaults, vars and handlers; lazy nested
 * variables; loops with loop_control, with_dict and with_sequence; notify by name and listen topic; block, rescue
 * and always; include_tasks with a loop; run_once; set_fact; assert; ignore_errors), run over SSH on two hosts,
 * must print exactly what ansible-playbook 2.14 printed for it ({@code resources/lang/golden/capture.sh}).
 */
class GoldenTest {
  private static LangHosts hosts;

  @BeforeAll
  static void start(@TempDir Path dir) {
    hosts = new LangHosts(2, dir);
  }

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void printsWhatAnsiblePrints() throws IOException {
    Path golden = hosts.copyResources("golden");
    LangHosts.Run run = hosts.run(golden.resolve("site.yml"), "-f", "1");
    String expected = Files.readString(golden.resolve("expected.txt")).replace("DIR", golden.toString());
    assertEquals(expected, run.out(), run::toString);
    assertEquals(0, run.exitCode(), run::toString);
  }
}
