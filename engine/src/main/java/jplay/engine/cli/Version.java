package jplay.engine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code jplay --version}: jplay's version and the Java it runs on. */
final class Version implements IVersionProvider {
  static String jplay() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/jplay/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "jplay " + jplay(),
      "  java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
    };
  }
}
