package jplay.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.cli.Main;
import jplay.engine.testing.Sshd;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The loopback lab for real runs: a real sshd answering as five hosts h1..h5 (group {@code all_hosts}), a work
 * directory every host may write to, and jplay's command line run in-process with JSON-lines output, so tests read
 * each host's result as data.
 */
final class Lab implements AutoCloseable {
  final Sshd sshd;
  final Path work;
  final Path inventory;

  /** One host's result of one task, as the JSON output has it. */
  record Result(String host, String task, String status, String msg, Map<String, Object> data) {
    Object get(String key) {
      return data.get(key);
    }
  }

  /** What one run printed, parsed. */
  record Run(int exitCode, String out, String err, List<Result> results) {
    /** The result of {@code task} on {@code host}; fails when there is none. */
    Result of(String host, String task) {
      return results.stream()
          .filter(r -> r.host().equals(host) && r.task().equals(task))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no result for " + host + " / " + task + " in:\n" + this));
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  Lab(Path work) {
    this.sshd = Sshd.start(5);
    this.work = work;
    try {
      // The login user (root in CI) and become users must be able to write here.
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path inv = sshd.inventory(work.resolve("inventory"));
    try {
      Files.writeString(inv, "[all_hosts:vars]\nwork=" + work + "\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.inventory = inv;
  }

  /** Writes {@code yaml} as a playbook in the work directory and runs it with {@code more} options. */
  Run play(String name, String yaml, String... more) {
    Path playbook = work.resolve(name);
    try {
      Files.writeString(playbook, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of(
        playbook.toString(), "-i", inventory.toString(), "--known-hosts", sshd.knownHosts().toString(),
        "--color", "never", "--no-timing", "--output", "json"));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args.toArray(String[]::new));
    }
    String text = out.toString(StandardCharsets.UTF_8);
    return new Run(code, text, err.toString(StandardCharsets.UTF_8), results(text));
  }

  @SuppressWarnings("unchecked")
  private static List<Result> results(String jsonLines) {
    Load load = new Load(LoadSettings.builder().build());
    List<Result> out = new ArrayList<>();
    for (String line : jsonLines.split("\n")) {
      if (!line.startsWith("{")) {
        continue;
      }
      Map<String, Object> m = (Map<String, Object>) load.loadFromString(line);
      if ("host_result".equals(m.get("event"))) {
        Map<String, Object> data = (Map<String, Object>) m.getOrDefault("data", Map.of());
        out.add(new Result((String) m.get("host"), (String) m.get("task"), (String) m.get("status"),
            String.valueOf(m.getOrDefault("msg", "")), data == null ? Map.of() : data));
      }
    }
    return out;
  }

  @Override
  public void close() {
    sshd.close();
  }
}
