package jplay.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interfaces, addresses and default routes, as Ansible's Linux network collector reports them, read from
 * {@code ip route get}, {@code ip -o addr show} and /sys/class/net.
 */
final class Network {
  private static final Map<String, String> INTERFACE_TYPE =
      Map.of("1", "ether", "32", "infiniband", "512", "ppp", "772", "loopback", "65534", "tunnel");

  private Network() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> facts(ProbeOutput out) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (!out.has("addrs")) {
      // Ansible gathers no network facts without the ip tool.
      return f;
    }
    Map<String, Object> v4 = route(out.lines("route4"), Probe.ROUTE_V4);
    Map<String, Object> v6 = route(out.lines("route6"), Probe.ROUTE_V6);
    Map<String, Map<String, Object>> interfaces = new LinkedHashMap<>();
    for (ProbeOutput.Section s : out.sections()) {
      if (s.name().equals("netdev")) {
        interfaces.put(s.arg(), device(s.arg(), s.lines()));
      }
    }
    List<Object> all4 = new ArrayList<>();
    List<Object> all6 = new ArrayList<>();
    for (String raw : out.lines("addrs")) {
      int backslash = raw.indexOf('\\');
      String[] w = (backslash < 0 ? raw : raw.substring(0, backslash)).trim().split("\\s+");
      if (w.length < 4) {
        continue;
      }
      String device = w[1].contains("@") ? w[1].substring(0, w[1].indexOf('@')) : w[1];
      Map<String, Object> dev = interfaces.get(device);
      if (dev == null) {
        continue;
      }
      List<String> words = List.of(w).subList(2, w.length);
      if (words.get(0).equals("inet")) {
        String address;
        String prefix;
        String broadcast = "";
        if (words.get(1).contains("/")) {
          address = words.get(1).substring(0, words.get(1).indexOf('/'));
          prefix = words.get(1).substring(words.get(1).indexOf('/') + 1);
          if (words.size() > 3 && words.get(2).equals("brd")) {
            broadcast = words.get(3);
          }
        } else {
          address = words.get(1);
          prefix = "32";
        }
        long addr = ipv4(address);
        int len = Integer.parseInt(prefix);
        long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
        Map<String, Object> ip = new LinkedHashMap<>();
        ip.put("address", address);
        ip.put("broadcast", broadcast);
        ip.put("netmask", dotted(mask));
        ip.put("network", dotted(addr & mask));
        ip.put("prefix", prefix);
        String label = words.get(words.size() - 1);
        boolean secondary = words.contains("secondary");
        Map<String, Object> target = dev;
        if (!label.equals(device)) {
          // An alias (eth0:1) becomes an interface of its own, as in Ansible.
          target = new LinkedHashMap<>();
          interfaces.put(label, target);
        }
        if (!secondary && !target.containsKey("ipv4")) {
          target.put("ipv4", ip);
        } else {
          ((List<Object>) target.computeIfAbsent("ipv4_secondaries", k -> new ArrayList<>())).add(ip);
        }
        if (secondary && !label.equals(device)) {
          ((List<Object>) dev.computeIfAbsent("ipv4_secondaries", k -> new ArrayList<>())).add(ip);
        }
        if (address.equals(v4.get("address"))) {
          v4.put("broadcast", broadcast);
          v4.put("netmask", ip.get("netmask"));
          v4.put("network", ip.get("network"));
          v4.put("prefix", prefix);
          enrich(v4, dev);
          v4.put("alias", label);
        }
        if (!address.startsWith("127.")) {
          all4.add(address);
        }
      } else if (words.get(0).equals("inet6")) {
        String address;
        String prefix;
        String scope;
        if (words.size() > 5 && words.get(2).equals("peer")) {
          address = words.get(1);
          prefix = words.get(3).substring(words.get(3).indexOf('/') + 1);
          scope = words.get(5);
        } else {
          address = words.get(1).substring(0, words.get(1).indexOf('/'));
          prefix = words.get(1).substring(words.get(1).indexOf('/') + 1);
          scope = words.size() > 3 ? words.get(3) : "";
        }
        Map<String, Object> ip = new LinkedHashMap<>();
        ip.put("address", address);
        ip.put("prefix", prefix);
        ip.put("scope", scope);
        ((List<Object>) dev.computeIfAbsent("ipv6", k -> new ArrayList<>())).add(ip);
        if (address.equals(v6.get("address"))) {
          v6.put("prefix", prefix);
          v6.put("scope", scope);
          enrich(v6, dev);
        }
        if (!address.equals("::1")) {
          all6.add(address);
        }
      }
    }
    List<Object> names = new ArrayList<>();
    interfaces.forEach((name, facts) -> {
      String key = name.replace(':', '_');
      names.add(key);
      f.put(key, facts);
    });
    f.put("interfaces", names);
    f.put("default_ipv4", v4);
    f.put("default_ipv6", v6);
    f.put("all_ipv4_addresses", all4);
    f.put("all_ipv6_addresses", all6);
    return f;
  }

  private static void enrich(Map<String, Object> def, Map<String, Object> dev) {
    if (dev.containsKey("macaddress")) {
      def.put("macaddress", dev.get("macaddress"));
    }
    if (dev.containsKey("mtu")) {
      def.put("mtu", dev.get("mtu"));
    }
    def.put("type", dev.getOrDefault("type", "unknown"));
  }

  /** Interface, source address and gateway from the first line of {@code ip route get}. */
  static Map<String, Object> route(List<String> lines, String destination) {
    Map<String, Object> r = new LinkedHashMap<>();
    if (lines.isEmpty()) {
      return r;
    }
    String[] w = lines.get(0).trim().split("\\s+");
    if (w.length == 0 || !w[0].equals(destination)) {
      return r;
    }
    for (int i = 0; i < w.length - 1; i++) {
      switch (w[i]) {
        case "dev" -> r.put("interface", w[i + 1]);
        case "src" -> r.put("address", w[i + 1]);
        case "via" -> {
          if (!w[i + 1].equals(destination)) {
            r.put("gateway", w[i + 1]);
          }
        }
        default -> {
          // other attributes of the route are not facts
        }
      }
    }
    return r;
  }

  private static Map<String, Object> device(String name, List<String> lines) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String l : lines) {
      int eq = l.indexOf('=');
      if (eq > 0) {
        kv.put(l.substring(0, eq), l.substring(eq + 1).strip());
      }
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("device", name);
    String mac = kv.getOrDefault("address", "");
    if (!mac.isEmpty() && !mac.equals("00:00:00:00:00:00")) {
      d.put("macaddress", mac);
    }
    if (kv.containsKey("mtu") && kv.get("mtu").matches("\\d+")) {
      d.put("mtu", Integer.parseInt(kv.get("mtu")));
    }
    if (kv.containsKey("operstate")) {
      d.put("active", !kv.get("operstate").equals("down"));
    }
    if (kv.containsKey("module")) {
      d.put("module", kv.get("module"));
    }
    if (kv.containsKey("type")) {
      d.put("type", INTERFACE_TYPE.getOrDefault(kv.get("type"), "unknown"));
    }
    if (kv.containsKey("pciid")) {
      d.put("pciid", kv.get("pciid"));
    }
    if (kv.containsKey("speed") && kv.get("speed").matches("-?\\d+")) {
      d.put("speed", Integer.parseInt(kv.get("speed")));
    }
    if (kv.containsKey("flags") && kv.get("flags").matches("0x[0-9a-fA-F]+")) {
      d.put("promisc", (Long.parseLong(kv.get("flags").substring(2), 16) & 0x100) > 0);
    }
    return d;
  }

  private static long ipv4(String dotted) {
    long v = 0;
    for (String part : dotted.split("\\.")) {
      v = (v << 8) | Integer.parseInt(part);
    }
    return v;
  }

  private static String dotted(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
