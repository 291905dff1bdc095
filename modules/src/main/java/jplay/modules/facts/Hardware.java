package jplay.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Processor, memory and uptime facts from /proc, counted exactly as Ansible's Linux hardware collector does. */
final class Hardware {
  private static final List<String> PROCESSOR_KEYS =
      List.of("model name", "Processor", "vendor_id", "cpu", "Vendor", "processor");

  private Hardware() {}

  static Map<String, Object> facts(ProbeOutput out, String architecture) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.putAll(cpu(out, architecture));
    f.putAll(memory(out.file("/proc/meminfo").orElse("")));
    out.firstLine("/proc/uptime").ifPresent(u -> {
      try {
        f.put("uptime_seconds", (long) Double.parseDouble(u.split(" ")[0]));
      } catch (NumberFormatException e) {
        // Ansible leaves the fact out too.
      }
    });
    return f;
  }

  static Map<String, Object> cpu(ProbeOutput out, String architecture) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (!out.has("cpuinfo")) {
      return f;
    }
    boolean xen = out.existing().contains("/proc/xen")
        || out.firstLine("/sys/hypervisor/type").map("xen"::equals).orElse(false);
    boolean xenParavirt = xen && !out.lines("cpuvme").contains("vme");
    List<Object> processor = new ArrayList<>();
    int i = 0;
    int vendorIds = 0;
    int modelNames = 0;
    int processors = 0;
    String physid = "0";
    String coreid = "0";
    // Insertion-ordered like Python dicts: Ansible reads the first socket's and the first core's values.
    Map<String, Integer> sockets = new LinkedHashMap<>();
    Map<String, Integer> cores = new LinkedHashMap<>();
    for (String line : out.lines("cpuinfo")) {
      int colon = line.indexOf(':');
      String key = (colon < 0 ? line : line.substring(0, colon)).strip();
      String val = colon < 0 ? "" : line.substring(colon + 1).strip();
      if (PROCESSOR_KEYS.contains(key)) {
        processor.add(val);
        vendorIds += key.equals("vendor_id") ? 1 : 0;
        modelNames += key.equals("model name") ? 1 : 0;
        processors += key.equals("processor") ? 1 : 0;
        i++;
      } else if (key.equals("physical id")) {
        physid = val;
        sockets.putIfAbsent(physid, 1);
      } else if (key.equals("core id")) {
        coreid = val;
        // Ansible tests the sockets map here, not the cores map; the counts depend on it.
        if (!sockets.containsKey(coreid)) {
          cores.put(coreid, 1);
        }
      } else if (key.equals("cpu cores")) {
        sockets.put(physid, parse(val));
      } else if (key.equals("siblings")) {
        cores.put(coreid, parse(val));
      } else if (key.equals("# processors")) {
        f.put("processor_cores", parse(val));
      } else if (key.equals("ncpus active")) {
        i = parse(val);
      }
    }
    f.put("processor", processor);
    if (vendorIds > 0 && vendorIds == modelNames) {
      i = vendorIds;
    }
    if (architecture.startsWith("armv") || architecture.startsWith("aarch") || architecture.startsWith("ppc")) {
      i = processors;
    }
    if (architecture.equals("s390x")) {
      return f;
    }
    if (xenParavirt) {
      f.put("processor_count", i);
      f.put("processor_cores", i);
      f.put("processor_threads_per_core", 1);
      f.put("processor_vcpus", i);
      return f;
    }
    int count = sockets.isEmpty() ? i : sockets.size();
    f.put("processor_count", count);
    int perSocket = sockets.isEmpty() ? 0 : sockets.values().iterator().next();
    int coresPerSocket = perSocket != 0 ? perSocket : 1;
    f.put("processor_cores", coresPerSocket);
    int threads = cores.isEmpty() ? 1 / coresPerSocket : cores.values().iterator().next() / coresPerSocket;
    f.put("processor_threads_per_core", threads);
    f.put("processor_vcpus", threads * count * coresPerSocket);
    String nproc = SystemFacts.at(out.lines("nproc"), 0).strip();
    f.put("processor_nproc", nproc.matches("\\d+") ? Integer.parseInt(nproc) : processors);
    return f;
  }

  static Map<String, Object> memory(String meminfo) {
    Map<String, Object> f = new LinkedHashMap<>();
    Map<String, Integer> stats = new LinkedHashMap<>();
    for (String line : meminfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon);
      String[] words = line.substring(colon + 1).strip().split(" ");
      if (!words[0].matches("\\d+")) {
        continue;
      }
      int mb = (int) (Long.parseLong(words[0]) / 1024);
      if (List.of("MemTotal", "SwapTotal", "MemFree", "SwapFree").contains(key)) {
        f.put(key.toLowerCase(java.util.Locale.ROOT) + "_mb", mb);
      }
      if (List.of("MemTotal", "SwapTotal", "MemFree", "SwapFree", "Buffers", "Cached", "SwapCached").contains(key)) {
        stats.put(key.toLowerCase(java.util.Locale.ROOT), mb);
      }
    }
    if (stats.isEmpty()) {
      return f;
    }
    Integer total = stats.get("memtotal");
    Integer free = stats.get("memfree");
    Integer nocacheFree = stats.get("cached") != null && free != null && stats.get("buffers") != null
        ? stats.get("cached") + free + stats.get("buffers") : null;
    Map<String, Object> real = new LinkedHashMap<>();
    real.put("total", total);
    real.put("used", total != null && free != null ? total - free : null);
    real.put("free", free);
    Map<String, Object> nocache = new LinkedHashMap<>();
    nocache.put("free", nocacheFree);
    nocache.put("used", total != null && nocacheFree != null ? total - nocacheFree : null);
    Integer swapTotal = stats.get("swaptotal");
    Integer swapFree = stats.get("swapfree");
    Map<String, Object> swap = new LinkedHashMap<>();
    swap.put("total", swapTotal);
    swap.put("free", swapFree);
    swap.put("used", swapTotal != null && swapFree != null ? swapTotal - swapFree : null);
    swap.put("cached", stats.get("swapcached"));
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("real", real);
    memory.put("nocache", nocache);
    memory.put("swap", swap);
    f.put("memory_mb", memory);
    return f;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
