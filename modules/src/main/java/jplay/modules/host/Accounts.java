package jplay.modules.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jplay.engine.api.Command;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * What the user module needs to know about an account, read in one round trip: its passwd entry, its shadow
 * hash (when asked for), the groups that list it as a member, and the entries of the groups it should be in.
 *
 * @param passwd the passwd fields (name, x, uid, gid, gecos, home, shell), empty when the user does not exist
 * @param hash the password hash from shadow; null when not asked for or not readable
 * @param memberOf the groups whose member list names the user, as Ansible's user_group_membership
 * @param groups the group entries asked about, in the order asked; empty for a group that does not exist
 */
record Accounts(
    Optional<List<String>> passwd, String hash, List<String> memberOf, List<Optional<List<String>>> groups) {

  /** A name useradd and groupadd take as a name: no colon, comma, whitespace, and no leading dash. */
  static boolean validName(String name) {
    return !name.isEmpty() && !name.startsWith("-") && name.chars().noneMatch(c -> c == ':' || c == ',' || c <= ' ');
  }

  static Fact<Accounts> probe(String user, boolean shadow, List<String> groups) {
    StringBuilder s = new StringBuilder("u=").append(Shell.quote(user)).append('\n');
    s.append("e=$(getent passwd -- \"$u\"); echo \"passwd $? $e\"\n");
    if (shadow) {
      s.append("e=$(getent shadow -- \"$u\" 2>/dev/null); echo \"shadow $? $e\"\n");
    }
    s.append("getent group | U=\"$u\" awk -F: '{n = split($4, m, \",\"); for (i = 1; i <= n; i++)"
        + " if (m[i] == ENVIRON[\"U\"]) print \"member \" $1}'\n");
    for (String g : groups) {
      s.append("e=$(getent group -- ").append(Shell.quote(g)).append("); echo \"group $? $e\"\n");
    }
    s.append("echo end");
    return Fact.of("accounts " + user + " " + shadow + " " + groups, Command.of(s.toString()), r -> {
      if (!r.ok() || !r.stdout().endsWith("end\n")) {
        throw new ModuleException("cannot read the account " + user + ": "
            + (r.stderr().isBlank() ? "the probe stopped early" : r.stderr().strip()));
      }
      return parse(user, r.stdout());
    });
  }

  static Accounts parse(String user, String out) {
    Optional<List<String>> passwd = Optional.empty();
    String hash = null;
    List<String> memberOf = new ArrayList<>();
    List<Optional<List<String>>> groups = new ArrayList<>();
    for (String line : out.lines().toList()) {
      if (line.startsWith("member ")) {
        memberOf.add(line.substring(7));
      } else if (line.startsWith("passwd ")) {
        passwd = entry(user, "passwd", line);
      } else if (line.startsWith("shadow ")) {
        Optional<List<String>> e = entry(user, "shadow", line);
        hash = e.map(f -> f.size() > 1 ? f.get(1) : null).orElse(null);
      } else if (line.startsWith("group ")) {
        groups.add(entry(user, "group", line));
      }
    }
    return new Accounts(passwd, hash, memberOf, groups);
  }

  private static Optional<List<String>> entry(String user, String db, String line) {
    String rest = line.substring(db.length() + 1);
    int space = rest.indexOf(' ');
    String rc = space < 0 ? rest : rest.substring(0, space);
    String value = space < 0 ? "" : rest.substring(space + 1);
    if (rc.equals("0") && !value.isEmpty()) {
      return Optional.of(List.of(value.split(":", -1)));
    }
    if (rc.equals("2") || db.equals("shadow")) {
      // shadow is readable by root only; an unreadable hash is reported as unknown, not as an error here.
      return Optional.empty();
    }
    String what = db.equals("group") ? "a group" : user;
    throw new ModuleException("cannot look up " + what + " in the " + db + " database: getent exited " + rc);
  }
}
