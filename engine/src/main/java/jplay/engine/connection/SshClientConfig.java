package jplay.engine.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jplay.engine.api.Glob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenSSH client configuration ({@code ~/.ssh/config}, or the file {@code ssh_args = -F FILE} or
 * {@code ssh_config_file} names) as far as jplay honours it: {@code Host} blocks with {@code *}, {@code ?} and
 * {@code !} patterns, and in them HostName, User, Port, IdentityFile, ProxyJump, StrictHostKeyChecking and
 * UserKnownHostsFile. ConnectTimeout is not read: jplay's own timeout always applies, as Ansible always passes
 * {@code -o ConnectTimeout} to ssh, which beats the file. As in OpenSSH the first value found for a keyword wins (IdentityFile adds up), and the
 * host matched is the one jplay would connect to ({@code ansible_host}, else the inventory name). What the
 * inventory or command line sets wins over the file, as with Ansible, which passes those to ssh as options.
 *
 * <p>{@code Match} and {@code Include} are not supported: their blocks are skipped with one warning.
 */
public final class SshClientConfig {
  private static final Logger LOG = LoggerFactory.getLogger("jplay.ssh");
  private static final Set<String> READ = Set.of("hostname", "user", "port", "identityfile", "proxyjump",
      "stricthostkeychecking", "userknownhostsfile");

  private static volatile Path file = defaultFile();
  private static volatile SshClientConfig cached;

  /** One {@code Host} block: its patterns and its settings, keywords lower-cased, values in order. */
  record Block(List<String> patterns, Map<String, List<String>> settings) {}

  /** A jump host of ProxyJump: {@code [user@]host[:port]}. */
  record Jump(String user, String host, Integer port) {
    static Jump parse(String spec) {
      String user = null;
      String rest = spec;
      int at = rest.lastIndexOf('@');
      if (at >= 0) {
        user = rest.substring(0, at);
        rest = rest.substring(at + 1);
      }
      Integer port = null;
      int colon = rest.lastIndexOf(':');
      if (colon > 0 && rest.indexOf(':') == colon) {
        try {
          port = Integer.parseInt(rest.substring(colon + 1));
          rest = rest.substring(0, colon);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("ProxyJump port is not a number in '" + spec + "'");
        }
      }
      return new Jump(user, rest, port);
    }
  }

  /** What the file says for one host; nulls and empty lists where it says nothing. */
  record Resolved(String hostName, String user, Integer port, List<String> identityFiles, List<Jump> proxyJump,
      String strictHostKeyChecking, String userKnownHostsFile) {}

  private final Path source;
  private final long modified;
  private final List<Block> blocks;

  private SshClientConfig(Path source, long modified, List<Block> blocks) {
    this.source = source;
    this.modified = modified;
    this.blocks = List.copyOf(blocks);
  }

  private static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".ssh", "config");
  }

  /** Reads {@code path} from now on; null for {@code ~/.ssh/config}. */
  public static void use(Path path) {
    file = path == null ? defaultFile() : path;
  }

  /** The file in use, read again when it changed; an empty configuration when there is none. */
  static SshClientConfig current() {
    Path p = file;
    long modified;
    try {
      modified = Files.isRegularFile(p) ? Files.getLastModifiedTime(p).toMillis() : -1;
    } catch (IOException e) {
      modified = -1;
    }
    SshClientConfig c = cached;
    if (c != null && c.source.equals(p) && c.modified == modified) {
      return c;
    }
    c = modified < 0 ? new SshClientConfig(p, -1, List.of()) : read(p, modified);
    cached = c;
    return c;
  }

  private static SshClientConfig read(Path p, long modified) {
    try {
      return new SshClientConfig(p, modified, parse(p, Files.readAllLines(p, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", p, e.getMessage());
      return new SshClientConfig(p, modified, List.of());
    }
  }

  /** The blocks of a file; lines before any Host apply to every host, as OpenSSH's. */
  static List<Block> parse(Path p, List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    Block current = new Block(List.of("*"), new LinkedHashMap<>());
    blocks.add(current);
    boolean skipping = false;
    boolean warned = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> words = words(line);
      if (words.isEmpty()) {
        continue;
      }
      String key = words.get(0).toLowerCase(Locale.ROOT);
      List<String> args = words.subList(1, words.size());
      if (key.equals("host")) {
        current = new Block(List.copyOf(args), new LinkedHashMap<>());
        blocks.add(current);
        skipping = false;
      } else if (key.equals("match") || key.equals("include")) {
        if (!warned) {
          LOG.warn("{}:{}: {} is not supported by jplay; {}", p, i + 1, words.get(0),
              key.equals("match") ? "the lines up to the next Host are ignored" : "the file it names is not read");
          warned = true;
        }
        skipping = key.equals("match");
      } else if (!skipping && READ.contains(key) && !args.isEmpty()) {
        current.settings().computeIfAbsent(key, k -> new ArrayList<>()).add(String.join(" ", args));
      }
    }
    return blocks;
  }

  /** Words split at blanks or one {@code =}, double quotes grouping, as ssh_config(5). */
  private static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
        any = true;
      } else if (!quoted && (Character.isWhitespace(ch) || (ch == '=' && out.isEmpty()))) {
        if (any) {
          out.add(w.toString());
          w.setLength(0);
          any = false;
        }
      } else {
        w.append(ch);
        any = true;
      }
    }
    if (any) {
      out.add(w.toString());
    }
    return out;
  }

  static SshClientConfig of(List<Block> blocks) {
    return new SshClientConfig(Path.of("ssh_config"), 0, blocks);
  }

  /** The settings for {@code host}; {@code localUser} fills {@code %u}, and {@code %r} when no user is known. */
  Resolved resolve(String host, String remoteUser, String localUser) {
    Map<String, List<String>> found = new LinkedHashMap<>();
    for (Block b : blocks) {
      if (!matches(b.patterns(), host)) {
        continue;
      }
      for (Map.Entry<String, List<String>> e : b.settings().entrySet()) {
        if (e.getKey().equals("identityfile")) {
          found.computeIfAbsent("identityfile", k -> new ArrayList<>()).addAll(e.getValue());
        } else {
          found.putIfAbsent(e.getKey(), List.of(e.getValue().get(0)));
        }
      }
    }
    String hostName = first(found, "hostname");
    String h = hostName == null ? host : hostName.replace("%h", host).replace("%%", "%");
    String user = remoteUser != null ? remoteUser : first(found, "user");
    String r = user != null ? user : localUser;
    List<String> identities = new ArrayList<>();
    for (String f : found.getOrDefault("identityfile", List.of())) {
      identities.add(expand(f, h, r, localUser));
    }
    List<Jump> jumps = new ArrayList<>();
    String jump = first(found, "proxyjump");
    if (jump != null && !jump.equalsIgnoreCase("none")) {
      for (String spec : jump.split(",")) {
        jumps.add(Jump.parse(spec.strip()));
      }
    }
    String known = first(found, "userknownhostsfile");
    return new Resolved(hostName == null ? null : h, first(found, "user"), integer(found, "port"), identities, jumps,
        first(found, "stricthostkeychecking"),
        known == null ? null : expand(known.split("\\s+")[0], h, r, localUser));
  }

  private static boolean matches(List<String> patterns, String host) {
    boolean any = false;
    for (String p : patterns) {
      for (String one : p.split(",")) {
        boolean negated = one.startsWith("!");
        String glob = negated ? one.substring(1) : one;
        if (Glob.matches(glob.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT))) {
          if (negated) {
            return false;
          }
          any = true;
        }
      }
    }
    return any;
  }

  private static String first(Map<String, List<String>> found, String key) {
    List<String> v = found.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static Integer integer(Map<String, List<String>> found, String key) {
    String v = first(found, key);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      LOG.warn("ssh config: {} is not a number: '{}'", key, v);
      return null;
    }
  }

  private static String expand(String path, String host, String remoteUser, String localUser) {
    String home = System.getProperty("user.home");
    String p = path.startsWith("~/") ? home + path.substring(1) : path;
    return p.replace("%h", host).replace("%r", remoteUser).replace("%u", localUser).replace("%d", home)
        .replace("%%", "%");
  }

  /**
   * {@code target} with what the file says about it, where the inventory and command line left it open; the jump
   * hosts it is reached through, first to last, each resolved the same way.
   */
  Routed route(Target target, boolean portWasSet) {
    return route(target, portWasSet, 0);
  }

  private Routed route(Target target, boolean portWasSet, int depth) {
    if (depth > 10) {
      throw new IllegalArgumentException("ProxyJump goes through more than 10 hosts to reach " + target.name()
          + "; is there a loop in " + source + "?");
    }
    String localUser = System.getProperty("user.name");
    Resolved r = resolve(target.address(), target.user(), localUser);
    String address = r.hostName() != null ? r.hostName() : target.address();
    int port = !portWasSet && r.port() != null ? r.port() : target.port();
    String user = target.user() != null && !target.user().isEmpty() ? target.user() : r.user();
    List<Path> keys = target.privateKeys();
    if (keys.isEmpty() && !r.identityFiles().isEmpty()) {
      keys = r.identityFiles().stream().map(Path::of).filter(Files::exists).toList();
    }
    HostKeyPolicy policy = target.hostKeyPolicy();
    if (policy == HostKeyPolicy.STRICT && r.strictHostKeyChecking() != null) {
      // Ansible leaves StrictHostKeyChecking to ssh's configuration unless host_key_checking is off.
      policy = switch (r.strictHostKeyChecking().toLowerCase(Locale.ROOT)) {
        case "no", "off" -> HostKeyPolicy.OFF;
        case "accept-new" -> HostKeyPolicy.ACCEPT_NEW;
        default -> HostKeyPolicy.STRICT;
      };
    }
    Path known = target.knownHosts();
    if (r.userKnownHostsFile() != null && (known == null || known.equals(defaultKnownHosts()))) {
      known = Path.of(r.userKnownHostsFile());
    }
    Target routed = new Target(target.name(), address, port, user, target.password(), keys, target.connection(),
        policy, known, target.connectTimeout());
    List<Target> jumps = new ArrayList<>();
    for (Jump j : r.proxyJump()) {
      Target jt = new Target(j.host(), j.host(), j.port() == null ? 22 : j.port(), j.user(), null, List.of(), "ssh",
          policy, known, target.connectTimeout());
      Routed jr = route(jt, j.port() != null, depth + 1);
      if (!jr.jumps().isEmpty()) {
        jumps.addAll(jr.jumps());
      }
      jumps.add(jr.target());
    }
    return new Routed(routed, jumps);
  }

  private static Path defaultKnownHosts() {
    return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /** A target and the jump hosts before it, first to last. */
  record Routed(Target target, List<Target> jumps) {
    Routed {
      jumps = List.copyOf(jumps);
    }
  }

  @Override
  public String toString() {
    return "SshClientConfig[" + source + ", " + blocks.size() + " blocks]";
  }
}
