package jplay.lang;

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
import java.util.stream.Stream;
import jplay.engine.cli.Main;
import jplay.engine.connection.Connection;
import jplay.engine.connection.ConnectionPool;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.connection.Target;
import jplay.engine.connection.UnreachableException;
import jplay.engine.inventory.Inventory;
import jplay.engine.output.HumanOutput;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Playbook;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.run.ConnectionSource;
import jplay.engine.run.PlaybookRunner;
import jplay.engine.run.RunOptions;
import jplay.engine.run.RunSummary;
import jplay.engine.yaml.SourceException;
import jplay.engine.testing.Sshd;

/**
 * Hosts h1..hN on a real sshd on loopback, an inventory for them, and jplay's command line run in-process over
 * them: what the language tests run their playbooks on.
 */
final class LangHosts implements AutoCloseable {
  final Sshd sshd;
  final Path dir;
  final Path inventory;

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {
    /** The PLAY RECAP line of {@code host}, whitespace collapsed: "h1 : ok=3 changed=1 ...". */
    String recap(String host) {
      for (String line : out.split("\n")) {
        String l = line.strip();
        if (l.startsWith(host + " ") && l.contains(": ok=")) {
          return l.replaceAll("\\s+", " ");
        }
      }
      throw new AssertionError("no recap line for " + host + " in:\n" + this);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  LangHosts(int hosts, Path dir) {
    this(hosts, dir, false);
  }

  /** @param ghost add a host {@code ghost} in group {@code broken} that nothing answers for (127.0.0.77) */
  LangHosts(int hosts, Path dir, boolean ghost) {
    this.sshd = Sshd.start(hosts);
    this.dir = dir;
    try {
      // The sshd user (root in CI) must be able to write here.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      StringBuilder ini = new StringBuilder("[web]\n");
      for (int i = 1; i <= hosts; i++) {
        ini.append("h").append(i).append(" ansible_host=").append(sshd.addresses().get(i - 1))
            .append(" ansible_port=").append(sshd.port()).append('\n');
      }
      if (ghost) {
        ini.append("[broken]\nghost ansible_host=127.0.0.77 ansible_port=").append(sshd.port()).append('\n');
      }
      ini.append("[all:vars]\nansible_user=").append(sshd.user()).append('\n');
      ini.append("ansible_ssh_private_key_file=").append(sshd.clientKey()).append('\n');
      ini.append("work=").append(dir).append('\n');
      inventory = dir.resolve("hosts.ini");
      Files.writeString(inventory, ini.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file under the work folder (parents created). */
  Path write(String name, String text) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a test resource folder ({@code /lang/NAME}) into the work folder. */
  Path copyResources(String name) {
    try {
      Path from = Path.of(LangHosts.class.getResource("/lang/" + name).toURI());
      Path to = dir.resolve(name);
      try (Stream<Path> all = Files.walk(from)) {
        for (Path p : all.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
      return to;
    } catch (IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs jplay on a playbook with the hosts' inventory, colour and timings off, plus {@code more} options. */
  Run run(Path playbook, String... more) {
    List<String> args = new ArrayList<>(List.of(
        playbook.toString(), "-i", inventory.toString(), "--known-hosts", sshd.knownHosts().toString(),
        "--color", "never", "--no-timing"));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args.toArray(String[]::new));
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs a playbook through the engine API rather than the command line, for the options the command line does
   * not offer yet ({@code --tags}, {@code --start-at-task}, {@code --step}, roles path, ...).
   */
  Run runWith(Path playbook, java.util.function.UnaryOperator<RunOptions> options,
      java.util.function.Consumer<PlaybookRunner> setup) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      RunOptions base = new RunOptions(RunOptions.DEFAULT_FORKS, null, java.util.Map.of(), null, null, null, null,
          false, null, null, java.time.Duration.ofSeconds(10), null, HostKeyPolicy.STRICT, sshd.knownHosts(), false,
          false, 0);
      RunOptions opts = options.apply(base);
      ModuleRegistry modules = ModuleRegistry.discover();
      Playbook pb;
      try {
        pb = new PlaybookParser(modules, opts.rolesPath()).parse(playbook);
      } catch (SourceException e) {
        return new Run(RunSummary.HOST_UNREACHABLE, "", e.getMessage());
      }
      Inventory inv = Inventory.load(List.of(inventory.toString()), pb.dir());
      ConnectionPool pool = new ConnectionPool();
      ConnectionSource source = new ConnectionSource() {
        @Override
        public Connection get(Target target) throws UnreachableException, InterruptedException {
          return pool.get(target);
        }

        @Override
        public void discard(Target target) {
          pool.discard(target);
        }

        @Override
        public void close() {
          pool.close();
        }
      };
      HumanOutput human = new HumanOutput(o, o, 0, false, false, HumanOutput.DEFAULT_WIDTH, false);
      PlaybookRunner runner = new PlaybookRunner(modules, inv, opts, human, source);
      setup.accept(runner);
      RunSummary summary = runner.run(List.of(pb));
      return new Run(summary.exitCode(), out.toString(StandardCharsets.UTF_8), "");
    } catch (SourceException e) {
      return new Run(RunSummary.HOST_UNREACHABLE, out.toString(StandardCharsets.UTF_8), e.getMessage());
    }
  }

  Run runWith(Path playbook, java.util.function.UnaryOperator<RunOptions> options) {
    return runWith(playbook, options, r -> { });
  }

  @Override
  public void close() {
    sshd.close();
  }
}
