package jplay.modules.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code user} on Linux: one probe reads the account ({@link Accounts}), then {@code useradd},
 * {@code usermod} or {@code userdel} run with exactly the options that differ, as Ansible's own decisions (group
 * membership compared as Ansible's user_group_membership, {@code -N} when a group of the user's name exists). The
 * password is a crypt hash and never shown: the diff says only that it changes. A created or modified account is
 * read back in the same command, so uid, group, home and shell are what the system chose.
 *
 * <p>Not supported (refused as unknown parameters): ssh key generation, expiry and password aging, SELinux users,
 * local (luseradd), and the BSD/macOS/AIX back ends.
 */
public final class UserModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("user")
          .aliases("ansible.builtin.user")
          .summary("Manage user accounts")
          .description(
              "Creates, changes and removes local accounts with useradd, usermod and userdel. Only the given"
                  + " attributes are managed; groups replace the supplementary groups unless append is set.")
          .param(Param.str("name").required().aliases("user").doc("The user's name."))
          .param(Param.str("state").choices("absent", "present").defaultValue("present")
              .doc("Whether the account should exist."))
          .param(Param.integer("uid").doc("The user's id."))
          .param(Param.bool("non_unique").defaultValue(false).doc("Allow a uid that is already taken (-o)."))
          .param(Param.str("group").doc("The primary group (name or gid); it must exist."))
          .param(Param.list("groups").elements(ParamType.STR)
              .doc("Supplementary groups; they must exist. An empty list removes all, unless append is set."))
          .param(Param.bool("append").defaultValue(false)
              .doc("Add the groups to the ones the user is in instead of replacing them."))
          .param(Param.str("comment").doc("The GECOS field, usually the full name."))
          .param(Param.path("home").doc("The home directory."))
          .param(Param.bool("move_home").defaultValue(false)
              .doc("When home changes, move the old home directory's contents there (usermod -m)."))
          .param(Param.bool("create_home").defaultValue(true).aliases("createhome")
              .doc("Create the home directory when creating the account (useradd -m, else -M)."))
          .param(Param.str("shell").doc("The login shell."))
          .param(Param.bool("system").defaultValue(false)
              .doc("Create a system account; has no effect on an existing account."))
          .param(Param.str("password").noLog()
              .doc("The password as a crypt hash (e.g. from 'openssl passwd -6'); never a clear-text password."))
          .param(Param.str("update_password").choices("always", "on_create").defaultValue("always")
              .doc("always: set the hash when it differs; on_create: only when creating the account."))
          .param(Param.bool("remove").defaultValue(false)
              .doc("With state=absent, also remove the home directory and mail spool (userdel -r)."))
          .param(Param.bool("force").defaultValue(false)
              .doc("With state=absent, remove the account even when the user is logged in (userdel -f)."))
          .examples(
              """
              - name: A service account
                user:
                  name: app
                  system: yes
                  shell: /usr/sbin/nologin
                  create_home: no
              - name: An admin with a password hash
                user:
                  name: alice
                  groups: [sudo, adm]
                  append: yes
                  password: "{{ alice_hash }}"
              - user: name=olduser state=absent remove=yes
              """)
          .build();

  static final String MASKED = "NOT_LOGGING_PASSWORD";
  private static final Pattern NOT_HASH_CHARS = Pattern.compile("[^a-zA-Z0-9./=]");

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String name = args.str("name");
    if (!Accounts.validName(name)) {
      throw new ModuleException("'" + name + "' is not a valid user name");
    }
    if (args.str("state").equals("absent")) {
      return absent(ctx, name);
    }
    String group = args.str("group");
    List<String> groups = args.has("groups") ? args.strings("groups").stream().map(String::strip)
        .filter(g -> !g.isEmpty()).distinct().toList() : null;
    List<String> lookups = new ArrayList<>();
    if (group != null) {
      lookups.add(group);
    }
    lookups.add(name);
    if (groups != null) {
      lookups.addAll(groups);
    }
    String password = args.str("password");
    Accounts now = ctx.fact(Accounts.probe(name, password != null, lookups));
    if (group != null && now.groups().get(0).isEmpty()) {
      throw new ModuleException("Group " + group + " does not exist");
    }
    if (groups != null) {
      int first = group == null ? 1 : 2;
      for (int i = 0; i < groups.size(); i++) {
        if (now.groups().get(first + i).isEmpty()) {
          throw new ModuleException("Group " + groups.get(i) + " does not exist");
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    if (password != null && !looksHashed(password)) {
      warnings.add("The input password appears not to have been hashed. The 'password' argument must be encrypted"
          + " for this module to work properly.");
    }
    Optional<List<String>> groupEntry = group == null ? Optional.empty() : now.groups().get(0);
    boolean sameNameGroup = now.groups().get(group == null ? 0 : 1).isPresent();
    return now.passwd().isEmpty()
        ? create(ctx, name, groups, sameNameGroup, warnings)
        : modify(ctx, name, now, groupEntry.orElse(null), groups, warnings);
  }

  private static Plan absent(ModuleContext ctx, String name) {
    Args args = ctx.args();
    Optional<List<String>> passwd = ctx.fact(Getent.entry("passwd", name));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("state", "absent");
    if (passwd.isEmpty()) {
      return Plan.noop("user " + name + " does not exist", data);
    }
    data.put("force", args.bool("force"));
    data.put("remove", args.bool("remove"));
    List<String> cmd = new ArrayList<>(List.of("userdel"));
    if (args.bool("force")) {
      cmd.add("-f");
    }
    if (args.bool("remove")) {
      cmd.add("-r");
    }
    cmd.add(name);
    Diff diff = Diff.of("user " + name, "state: present\n", "state: absent\n");
    Outcome done = Outcome.changed(data).withDiff(diff);
    return new Plan.Change(List.of(Command.argv(cmd)), diff, done, results -> {
      Outcome o = Plan.defaultInterpret(results, done);
      return o.failed() ? o : Outcome.changed(withOutput(data, results.get(0), false)).withDiff(diff);
    });
  }

  private static Plan create(
      ModuleContext ctx, String name, List<String> groups, boolean sameNameGroup, List<String> warnings) {
    Args args = ctx.args();
    List<String> cmd = new ArrayList<>(List.of("useradd"));
    if (args.has("uid")) {
      cmd.addAll(List.of("-u", String.valueOf(args.integer("uid"))));
      if (args.bool("non_unique")) {
        cmd.add("-o");
      }
    }
    if (args.has("group")) {
      cmd.addAll(List.of("-g", args.str("group")));
    } else if (sameNameGroup) {
      // Without -N, useradd (USERGROUPS_ENAB) fails trying to create the group that already exists.
      cmd.add("-N");
    }
    if (groups != null && !groups.isEmpty()) {
      cmd.addAll(List.of("-G", String.join(",", groups)));
    }
    optional(args, cmd, "comment", "-c");
    optional(args, cmd, "home", "-d");
    optional(args, cmd, "shell", "-s");
    if (args.has("password")) {
      cmd.addAll(List.of("-p", args.str("password")));
    }
    cmd.add(args.bool("create_home") ? "-m" : "-M");
    if (args.bool("system")) {
      cmd.add("-r");
    }
    cmd.add(name);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("state", "present");
    data.put("system", args.bool("system"));
    data.put("create_home", args.bool("create_home"));
    common(args, data, groups, warnings);
    StringBuilder after = new StringBuilder("state: present\n");
    for (String key : List.of("uid", "group", "comment", "home", "shell")) {
      if (args.has(key)) {
        after.append(key).append(": ").append(args.str(key)).append('\n');
      }
    }
    if (groups != null) {
      after.append("groups: ").append(String.join(",", groups)).append('\n');
    }
    if (args.has("password")) {
      after.append("password: (set)\n");
    }
    Diff diff = Diff.of("user " + name, "state: absent\n", after.toString());
    return change(name, cmd, diff, data);
  }

  private static Plan modify(
      ModuleContext ctx, String name, Accounts now, List<String> groupEntry, List<String> groups,
      List<String> warnings) {
    Args args = ctx.args();
    List<String> info = now.passwd().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of("usermod"));
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    if (args.has("uid") && !info.get(2).equals(String.valueOf(args.integer("uid")))) {
      cmd.addAll(List.of("-u", String.valueOf(args.integer("uid"))));
      if (args.bool("non_unique")) {
        cmd.add("-o");
      }
      line(before, after, "uid", info.get(2), String.valueOf(args.integer("uid")));
    }
    if (groupEntry != null && !info.get(3).equals(groupEntry.get(2))) {
      cmd.addAll(List.of("-g", groupEntry.get(2)));
      line(before, after, "group", info.get(3), groupEntry.get(2));
    }
    if (groups != null) {
      Set<String> current = new LinkedHashSet<>(now.memberOf());
      Set<String> wanted = new LinkedHashSet<>(groups);
      boolean append = args.bool("append");
      boolean needed;
      if (wanted.isEmpty()) {
        needed = !current.isEmpty() && !append;
      } else if (append) {
        needed = !current.containsAll(wanted);
      } else {
        needed = !current.equals(wanted);
      }
      if (needed) {
        if (append) {
          cmd.add("-a");
        }
        cmd.addAll(List.of("-G", String.join(",", wanted)));
        Set<String> result = new LinkedHashSet<>(append ? current : Set.of());
        result.addAll(wanted);
        line(before, after, "groups", String.join(",", current), String.join(",", result));
      }
    }
    if (args.has("comment") && !info.get(4).equals(args.str("comment"))) {
      cmd.addAll(List.of("-c", args.str("comment")));
      line(before, after, "comment", info.get(4), args.str("comment"));
    }
    if (args.has("home") && !info.get(5).equals(args.str("home"))) {
      cmd.addAll(List.of("-d", args.str("home")));
      if (args.bool("move_home")) {
        cmd.add("-m");
      }
      line(before, after, "home", info.get(5), args.str("home"));
    }
    if (args.has("shell") && !info.get(6).equals(args.str("shell"))) {
      cmd.addAll(List.of("-s", args.str("shell")));
      line(before, after, "shell", info.get(6), args.str("shell"));
    }
    String password = args.str("password");
    if (password != null && args.str("update_password").equals("always")) {
      if (now.hash() == null) {
        throw new ModuleException("cannot read the password hash of " + name
            + " from the shadow database to compare it: run the task with become");
      }
      if (!strip(now.hash()).equals(strip(password))) {
        cmd.addAll(List.of("-p", password));
        line(before, after, "password", "(old hash)", "(new hash)");
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("state", "present");
    data.put("append", args.bool("append"));
    data.put("move_home", args.bool("move_home"));
    common(args, data, groups, warnings);
    putInfo(data, info);
    if (cmd.size() == 1) {
      return new Plan.Noop("user " + name + " is as asked", Outcome.ok(data));
    }
    // What check mode reports: the values the change would set.
    if (args.has("uid")) {
      data.put("uid", args.integer("uid"));
    }
    if (groupEntry != null) {
      data.put("group", Integer.parseInt(groupEntry.get(2)));
    }
    for (String key : List.of("comment", "home", "shell")) {
      if (args.has(key)) {
        data.put(key, args.str(key));
      }
    }
    cmd.add(name);
    return change(name, cmd, Diff.of("user " + name, before.toString(), after.toString()), data);
  }

  private static void common(Args args, Map<String, Object> data, List<String> groups, List<String> warnings) {
    if (args.has("password")) {
      data.put("password", MASKED);
    }
    if (groups != null) {
      data.put("groups", String.join(",", groups));
    }
    if (!warnings.isEmpty()) {
      data.put("warnings", List.copyOf(warnings));
    }
  }

  /** Runs {@code cmd}, then reads the account back so the result shows what the system holds. */
  private static Plan change(String name, List<String> cmd, Diff diff, Map<String, Object> data) {
    Command run = Command.of(Shell.join(cmd) + " && getent passwd -- " + Shell.quote(name));
    if (cmd.contains("-p")) {
      run = run.markSensitive();
    }
    Outcome done = Outcome.changed(data).withDiff(diff);
    return new Plan.Change(List.of(run), diff, done, results -> {
      Outcome o = Plan.defaultInterpret(results, done);
      if (o.failed()) {
        return o;
      }
      Map<String, Object> out = withOutput(data, results.get(0), true);
      List<String> lines = results.get(0).stdout().lines().toList();
      if (!lines.isEmpty()) {
        putInfo(out, List.of(lines.get(lines.size() - 1).split(":", -1)));
      }
      return Outcome.changed(out).withDiff(diff);
    });
  }

  private static void putInfo(Map<String, Object> data, List<String> info) {
    if (info.size() < 7) {
      return;
    }
    data.put("uid", Integer.parseInt(info.get(2)));
    data.put("group", Integer.parseInt(info.get(3)));
    data.put("comment", info.get(4));
    data.put("home", info.get(5));
    data.put("shell", info.get(6));
  }

  /** Ansible adds the tools' stdout and stderr when they said something; the read-back line is ours, not theirs. */
  private static Map<String, Object> withOutput(Map<String, Object> data, CommandResult r, boolean readBack) {
    Map<String, Object> out = new LinkedHashMap<>(data);
    String stdout = r.stdout();
    if (readBack) {
      int cut = stdout.stripTrailing().lastIndexOf('\n');
      stdout = cut < 0 ? "" : stdout.substring(0, cut + 1);
    }
    if (!stdout.isEmpty()) {
      out.put("stdout", stdout);
    }
    if (!r.stderr().isEmpty()) {
      out.put("stderr", r.stderr());
      out.put("stderr_lines", r.stderr().lines().toList());
    }
    return out;
  }

  private static void optional(Args args, List<String> cmd, String key, String flag) {
    if (args.has(key)) {
      cmd.addAll(List.of(flag, args.str(key)));
    }
  }

  private static void line(StringBuilder before, StringBuilder after, String key, String was, String is) {
    before.append(key).append(": ").append(was).append('\n');
    after.append(key).append(": ").append(is).append('\n');
  }

  private static String strip(String hash) {
    int i = 0;
    while (i < hash.length() && hash.charAt(i) == '!') {
      i++;
    }
    return hash.substring(i);
  }

  /** Ansible's check_password_encrypted: a crypt hash of a known scheme with the right length. */
  static boolean looksHashed(String password) {
    if (password.chars().anyMatch(c -> c == ':' || c == '*' || c == '!') || !password.contains("$")) {
      return false;
    }
    String[] fields = password.split("\\$", -1);
    if (fields.length < 3) {
      return false;
    }
    String last = fields[fields.length - 1];
    if (NOT_HASH_CHARS.matcher(last).find()) {
      return false;
    }
    return switch (fields[1]) {
      case "1" -> last.length() == 22;
      case "5" -> last.length() == 43;
      case "6" -> last.length() == 86;
      default -> true;
    };
  }
}
