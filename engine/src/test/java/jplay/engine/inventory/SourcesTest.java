package jplay.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jplay.engine.yaml.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INI and YAML sources: what they define, and the errors (with file:line:column) for what they get wrong. */
class SourcesTest {
  @TempDir Path dir;

  private String error(String name, String text) {
    SourceException e = assertThrows(SourceException.class, () -> Fixtures.inline(dir, name, text));
    return e.getMessage().replace(dir.resolve(name).toString(), name);
  }

  @Test
  void iniDefinesGroupsChildrenVarsAndTypedValues() throws SourceException {
    Inventory inv = Fixtures.load("ini/hosts");
    assertEquals(List.of("web", "db"), inv.groups().get("app").children());
    assertEquals(List.of("dba", "dbb", "dbc", "s1", "s4", "s7", "s10"), inv.groups().get("db").hosts());
    assertEquals(List.of("ungrouped1"), inv.groups().get("ungrouped").hosts());
    Map<String, Object> web1 = inv.hostVars("web1");
    assertEquals("10.0.0.1", web1.get("ansible_host"));
    assertEquals(2222, web1.get("ansible_port"));
    assertEquals("a b", web1.get("foo"));
    assertEquals(true, web1.get("t"));
    assertEquals("false", web1.get("f"));
    assertEquals(List.of(1, 2), web1.get("l"));
    // [g:vars] values are literal-evaluated too (Ansible 2.14 does so, whatever its docs say).
    assertEquals(3, inv.hostVars("dba").get("dbv"));
    assertEquals("some value here", inv.hostVars("10.1.2.3").get("spaced"));
    assertEquals(List.of("app", "web"), inv.groupNames("web1"));
    assertEquals(List.of(), inv.groupNames("ungrouped1"));
  }

  @Test
  void childrenMayBeDeclaredBeforeTheirGroup() throws SourceException {
    Inventory inv = Fixtures.inline(dir, "hosts", "[top:children]\nmid\n[mid:children]\nleaf\n[leaf]\nh\n[mid:vars]\nx=1\n");
    assertEquals(List.of("leaf", "mid", "top"), inv.groupNames("h"));
    assertEquals(2, inv.groups().get("mid").depth());
    assertEquals(3, inv.groups().get("leaf").depth());
  }

  @Test
  void iniErrorsNameFileLineAndColumn() {
    assertEquals(
        "hosts:3:4: section [g:foo] has unknown type 'foo': use [g], [g:children] or [g:vars]",
        error("hosts", "[g]\nh1\n[g:foo]\nx\n"));
    assertEquals(
        "hosts:3:1: [app:children] names group 'wbe', which is never defined: add a [wbe] section"
            + " (did you mean 'web'?)",
        error("hosts", "[app:children]\nweb\nwbe\n[web]\nw1\n"));
    assertEquals(
        "hosts:1:1: [ghost:vars] is for a group that is never defined: add a [ghost] section",
        error("hosts", "[ghost:vars]\nx=1\n"));
    assertEquals(
        "hosts:2:3: host range [01:1] begins with a leading zero, so begin and end need the same number of digits",
        error("hosts", "[web]\n  node[01:1]\n"));
    assertEquals(
        "hosts:1:6: expected key=value after host 'web1', got 'foo' (one host per line; quote values that hold"
            + " spaces)",
        error("hosts", "web1 foo\n"));
    assertEquals(
        "hosts:1:8: cannot read host line: no closing quotation for the \" here", error("hosts", "web1 a=\"x\n"));
    assertEquals(
        "hosts:2:1: invalid section header [bad section]: write [group], [group:children] or [group:vars],"
            + " without spaces",
        error("hosts", "h\n[bad section]\n"));
    assertEquals("hosts:2:3: expected key=value in [g:vars], got 'novalue'", error("hosts", "[g:vars]\n  novalue\n[g]\n"));
    assertEquals(
        "hosts:4:1: making 'a' a child of 'b' creates a loop: 'b' is already inside 'a'",
        error("hosts", "[a:children]\nb\n[b:children]\na\n"));
    assertEquals(
        "hosts.ini:1:1: host 'web1:' ends in ':'; write host:port with a port number, or drop the ':'",
        error("hosts.ini", "web1: x=1\n"));
  }

  @Test
  void bothUndefinedChildrenAreReported() {
    assertEquals(
        "hosts:2:1: [app:children] names group 'a', which is never defined: add a [a] section\n"
            + "hosts:3:1: [app:children] names group 'b', which is never defined: add a [b] section",
        error("hosts", "[app:children]\na\nb\n"));
  }

  @Test
  void yamlDefinesGroupsHostsAndVars() throws SourceException {
    Inventory inv = Fixtures.load("yaml/hosts.yml");
    assertEquals(List.of("db", "db_replicas"), inv.groupNames("dba"));
    assertEquals(List.of("replica1", "dba"), inv.groups().get("db_replicas").hosts());
    assertEquals(420, inv.hostVars("dba").get("mode"));
    assertEquals(2222, inv.hostVars("web-canary").get("ansible_port"));
    assertEquals(List.of("staging", "web"), inv.groupNames("web01.example.com"));
    assertEquals(2, inv.groups().get("db_replicas").depth());
  }

  @Test
  void yamlErrorsPointAtTheNode() {
    assertEquals(
        "hosts.yml:4:7: unknown key 'host' in group 'web': a group holds only 'hosts', 'vars' and 'children'"
            + " (did you mean 'hosts'?)",
        error("hosts.yml", "all:\n  children:\n    web:\n      host:\n        w1:\n"));
    assertEquals(
        "hosts.yml:2:10: 'hosts' of group 'web' must be a mapping of names (each followed by ':'), not a list",
        error("hosts.yml", "web:\n  hosts: [w1, w2]\n"));
    assertEquals(
        "hosts.yml:2:3: group 'web' must be a mapping with 'hosts', 'vars' and/or 'children', not a list",
        error("hosts.yml", "web:\n  - w1\n"));
    assertEquals(
        "hosts.yml:3:5: host name 8080 is read as a number: put it in quotes", error("hosts.yml", "web:\n  hosts:\n    8080:\n"));
    assertEquals(
        "hosts.yml:3:5: host range [3:1] must have begin <= end", error("hosts.yml", "web:\n  hosts:\n    n[3:1]:\n"));
    assertEquals(
        "hosts.yml:3:9: the vars of host 'w1' must be a mapping of names to values, not a string ('x')",
        error("hosts.yml", "web:\n  hosts:\n    w1: x\n"));
    assertEquals(
        "hosts.yml:1:1: a YAML inventory is a mapping of group names (such as 'all:') to groups, not a list",
        error("hosts.yml", "- web\n"));
    assertEquals(
        "hosts.yml:3:5: making 'b' a child of 'a' creates a loop: 'a' is already inside 'b'",
        error("hosts.yml", "a:\n  children:\n    b:\n      children:\n        a:\n"));
  }

  @Test
  void formatIsSniffedForFilesWithoutExtension() throws SourceException {
    Inventory yaml = Fixtures.inline(dir, "inv", "# comment\nall:\n  hosts:\n    y1:\n");
    assertEquals(List.of("y1"), yaml.hosts().stream().map(Host::name).toList());
    Inventory ini = Fixtures.inline(dir, "inv2", "# comment\nweb1:2222 a=1\n[g]\nweb1\n");
    assertEquals(2222, ini.hostVars("web1").get("ansible_port"));
  }

  @Test
  void hostListAndMissingSource() throws SourceException {
    Inventory inv = Inventory.load(List.of("a, b:2200 ,"), null);
    assertEquals(List.of("a", "b"), inv.hosts().stream().map(Host::name).toList());
    assertEquals(2200, inv.hostVars("b").get("ansible_port"));
    SourceException e = assertThrows(SourceException.class, () -> Inventory.load(List.of("nosuchfile"), null));
    assertEquals(
        "nosuchfile: inventory source does not exist (for a single host without an inventory file, write"
            + " 'nosuchfile,')",
        e.getMessage());
  }

  @Test
  void directorySkipsWhatAnsibleSkips() throws SourceException {
    Inventory inv = Fixtures.load("dir");
    assertEquals(List.of("d1", "d2", "d3"), inv.hosts().stream().map(Host::name).toList());
  }
}
