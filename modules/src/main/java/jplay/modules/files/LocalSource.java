package jplay.modules.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;

/**
 * Controller-side sources of copy and template, found as Ansible's {@code _find_needle} finds them: an absolute
 * path as it is; a relative one in the role's {@code files/} (or {@code templates/}) folder, the role folder, then
 * the playbook's {@code files/} folder and the playbook folder.
 */
final class LocalSource {
  private LocalSource() {}

  /** One file to send: where it is here, its path relative to the copy's top, its bytes and permission bits. */
  record Item(Path local, String relative, byte[] bytes, int mode) {}

  /** A directory to create on the target, relative to the copy's top. */
  record Dir(String relative) {}

  /** The places {@code name} is looked for, in order. */
  static List<Path> candidates(ModuleContext ctx, String kind, String name) {
    Path p = Path.of(name);
    if (p.isAbsolute()) {
      return List.of(p);
    }
    Set<Path> out = new LinkedHashSet<>();
    Path base = ctx.localPath(".").normalize();
    Path leaf = base.getFileName();
    if (leaf != null && (leaf.toString().equals("tasks") || leaf.toString().equals("handlers"))
        && base.getParent() != null) {
      Path role = base.getParent();
      out.add(role.resolve(kind).resolve(name));
      out.add(role.resolve(name));
      out.add(base.resolve(kind).resolve(name));
    }
    out.add(base.resolve(kind).resolve(name));
    out.add(base.resolve(name));
    return List.copyOf(out);
  }

  /** The first candidate that exists, or an error listing where it was looked for. */
  static Path find(ModuleContext ctx, String kind, String name) {
    List<Path> where = candidates(ctx, kind, name);
    for (Path p : where) {
      if (Files.exists(p)) {
        if (!Files.isReadable(p)) {
          throw new ModuleException("Source " + p + " not readable");
        }
        return p;
      }
    }
    List<String> shown = where.stream().map(Path::toString).toList();
    throw new ModuleException(
        "could not find src=" + name + ", looked in: " + String.join(", ", shown), java.util.Map.of("src", name));
  }

  /** The file's bytes; a vault-encrypted file decrypted, as Ansible's copy and template do on the controller. */
  static byte[] read(Path p) {
    try {
      byte[] bytes = Files.readAllBytes(p);
      if (jplay.engine.vault.Vault.isEncrypted(bytes)) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        return jplay.engine.vault.Vault.current().decrypt(text, p.toString());
      }
      return bytes;
    } catch (jplay.engine.vault.VaultException e) {
      throw new ModuleException(e.getMessage());
    } catch (IOException e) {
      throw new ModuleException("cannot read " + p + ": " + e.getMessage());
    }
  }

  /** The permission bits of a local file, as Ansible's {@code mode: preserve} takes them. */
  static int mode(Path p) {
    try {
      int m = 0;
      for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) {
        m |= switch (perm) {
          case OWNER_READ -> 0400;
          case OWNER_WRITE -> 0200;
          case OWNER_EXECUTE -> 0100;
          case GROUP_READ -> 040;
          case GROUP_WRITE -> 020;
          case GROUP_EXECUTE -> 010;
          case OTHERS_READ -> 04;
          case OTHERS_WRITE -> 02;
          case OTHERS_EXECUTE -> 01;
        };
      }
      return m;
    } catch (IOException | UnsupportedOperationException e) {
      throw new ModuleException("cannot read the mode of " + p + ": " + e.getMessage());
    }
  }

  /**
   * The files and directories below {@code top}, as Ansible's {@code _walk_dirs}: relative to {@code top}'s parent
   * (the directory itself is copied) unless {@code contentsOnly} (a trailing slash: only what is inside).
   * Symlinks are followed when {@code follow} (local_follow); otherwise they are refused, which Ansible would
   * recreate as links.
   */
  static void walk(Path top, boolean contentsOnly, boolean follow, List<Item> files, List<Dir> dirs) {
    String prefix = contentsOnly ? "" : top.getFileName() + "/";
    if (!contentsOnly) {
      dirs.add(new Dir(top.getFileName().toString()));
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = follow ? Files.walk(top, java.nio.file.FileVisitOption.FOLLOW_LINKS) : Files.walk(top)) {
      s.filter(p -> !p.equals(top)).sorted().forEach(all::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ModuleException("cannot list " + top + ": " + e.getMessage());
    }
    for (Path p : all) {
      String rel = prefix + top.relativize(p).toString();
      if (!follow && Files.isSymbolicLink(p)) {
        throw new ModuleException(
            "cannot copy the symlink " + p + " without local_follow: jplay copies links' targets only");
      }
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || follow && Files.isDirectory(p)) {
        dirs.add(new Dir(rel));
      } else if (Files.isRegularFile(p)) {
        files.add(new Item(p, rel, read(p), mode(p)));
      }
    }
  }
}
