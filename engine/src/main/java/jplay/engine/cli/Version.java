package jplay.engine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code jplay --version}: jplay's version, the Java it runs on, and the versions of the main libraries.
 *
 * <p>Library versions are read from what each library ships (its {@code pom.properties}, or its own properties
 * file where it has no pom.properties), never written here: the shaded jar keeps those files but not the
 * libraries' manifests. Reading a few small resources keeps {@code --version} fast (no class of sshj, Jinjava or
 * jline is loaded).
 */
final class Version implements IVersionProvider {
  /** A library: how it is shown and where its version is written. */
  private record Library(String name, String resource, String key) {}

  private static final List<Library> LIBRARIES = List.of(
      new Library("sshj", "/sshj.properties", "sshj.version"),
      new Library("snakeyaml-engine", "/META-INF/maven/org.snakeyaml/snakeyaml-engine/pom.properties", "version"),
      new Library("jinjava", "/META-INF/maven/com.hubspot.jinjava/jinjava/pom.properties", "version"),
      new Library("jline", "/META-INF/maven/org.jline/jline/pom.properties", "version"),
      new Library("logback", "/META-INF/maven/ch.qos.logback/logback-classic/pom.properties", "version"));

  static String jplay() {
    return property("/jplay/version.properties", "version");
  }

  /** A key of a properties resource on the class path, or "unknown". */
  private static String property(String resource, String key) {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty(key, "unknown");
  }

  @Override
  public String[] getVersion() {
    List<String> lines = new ArrayList<>();
    lines.add("jplay " + jplay());
    lines.add("  java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
        + System.getProperty("java.vm.name") + ")");
    for (Library l : LIBRARIES) {
      lines.add("  " + l.name() + " " + property(l.resource(), l.key()));
    }
    // picocli carries no pom.properties; its version is a constant of the library itself.
    lines.add("  picocli " + CommandLine.VERSION);
    return lines.toArray(String[]::new);
  }
}
