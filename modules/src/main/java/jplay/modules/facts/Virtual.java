package jplay.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * virtualization_type and virtualization_role: Ansible's Linux checks in its order (containers first, then DMI
 * strings, then kernel modules and /dev/kvm), with {@code systemd-detect-virt} as the last, cheap guess where
 * Ansible's own checks find nothing.
 */
final class Virtual {
  private static final Map<String, String> DETECT_VIRT_NAMES = Map.of(
      "qemu", "kvm", "vmware", "VMware", "oracle", "virtualbox", "microsoft", "VirtualPC", "parallels", "parallels",
      "bochs", "kvm", "amazon", "kvm", "systemd-nspawn", "systemd-nspawn", "podman", "podman", "docker", "docker");

  private Virtual() {}

  static Map<String, Object> facts(ProbeOutput out) {
    Set<String> exists = out.existing();
    Set<String> guest = new LinkedHashSet<>();
    Set<String> host = new LinkedHashSet<>();
    String[] found = new String[2];

    for (String line : out.file("/proc/1/cgroup").orElse("").split("\n")) {
      if (line.matches(".*/docker(/|-[0-9a-f]+\\.scope).*")) {
        guest.add("docker");
        first(found, "docker", "guest");
      }
      if (line.contains("/lxc/") || line.contains("/machine.slice/machine-lxc")) {
        guest.add("lxc");
        first(found, "lxc", "guest");
      }
      if (line.contains("/system.slice/containerd.service")) {
        guest.add("containerd");
        first(found, "containerd", "guest");
      }
    }
    for (String line : out.lines("initenv")) {
      if (line.contains("container=lxc")) {
        guest.add("lxc");
        first(found, "lxc", "guest");
      }
      if (line.contains("container=podman")) {
        guest.add("podman");
        first(found, "podman", "guest");
      }
      if (line.matches("^container=.+")) {
        guest.add("container");
        first(found, "container", "guest");
      }
    }
    if (exists.contains("/proc/vz") && !exists.contains("/proc/lve")) {
      boolean vzHost = exists.contains("/proc/bc");
      (vzHost ? host : guest).add("openvz");
      if (found[0] == null) {
        found[1] = vzHost ? "host" : "guest";
      }
      found[0] = "openvz";
    }
    String systemdContainer = out.firstLine("/run/systemd/container").orElse("");
    if (!systemdContainer.isEmpty()) {
      guest.add(systemdContainer);
      first(found, systemdContainer, "guest");
    }
    if (exists.contains("/.dockerenv") || exists.contains("/.dockerinit")) {
      guest.add("docker");
      first(found, "docker", "guest");
    }
    if (!systemdContainer.isEmpty()
        || guest.stream().anyMatch(List.of("docker", "lxc", "podman", "openvz", "containerd")::contains)) {
      guest.add("container");
    }
    if (exists.contains("/proc/xen")) {
      boolean xenHost = out.file("/proc/xen/capabilities").orElse("").contains("control_d");
      (xenHost ? host : guest).add("xen");
      first(found, "xen", xenHost ? "host" : "guest");
    }
    String product = out.firstLine("/sys/devices/virtual/dmi/id/product_name").orElse("");
    String vendor = out.firstLine("/sys/devices/virtual/dmi/id/sys_vendor").orElse("");
    String family = out.firstLine("/sys/devices/virtual/dmi/id/product_family").orElse("");
    String bios = out.firstLine("/sys/devices/virtual/dmi/id/bios_vendor").orElse("");
    String dmi = null;
    if (List.of("KVM", "KVM Server", "Bochs", "AHV").contains(product)) {
      dmi = "kvm";
    } else if (vendor.equals("oVirt")) {
      dmi = "oVirt";
    } else if (vendor.equals("Red Hat") && family.equals("RHV")) {
      dmi = "RHV";
    } else if (vendor.equals("Red Hat") && product.equals("RHEV Hypervisor")) {
      dmi = "RHEV";
    } else if (List.of("VMware Virtual Platform", "VMware7,1").contains(product)) {
      dmi = "VMware";
    } else if (List.of("OpenStack Compute", "OpenStack Nova").contains(product)) {
      dmi = "openstack";
    } else if (bios.equals("Xen")) {
      dmi = "xen";
    } else if (bios.equals("innotek GmbH")) {
      dmi = "virtualbox";
    } else if (List.of("Amazon EC2", "DigitalOcean", "Hetzner").contains(bios)
        || List.of("QEMU", "Amazon EC2", "DigitalOcean", "Google", "Scaleway", "Nutanix").contains(vendor)) {
      dmi = "kvm";
    } else if (vendor.equals("KubeVirt")) {
      dmi = "KubeVirt";
    } else if (vendor.equals("Microsoft Corporation")) {
      dmi = "VirtualPC";
    } else if (vendor.equals("Parallels Software International Inc.")) {
      dmi = "parallels";
    } else if (vendor.equals("OpenStack Foundation")) {
      dmi = "openstack";
    }
    if (dmi != null) {
      guest.add(dmi);
      first(found, dmi, "guest");
    }
    List<String> modules = out.lines("modules");
    if (modules.contains("kvm")) {
      host.add("kvm");
      first(found, "kvm", "host");
    }
    if (modules.contains("vboxdrv")) {
      host.add("virtualbox");
      first(found, "virtualbox", "host");
    }
    if (modules.contains("virtio")) {
      host.add("kvm");
      first(found, "kvm", "guest");
    }
    if (exists.contains("/dev/kvm")) {
      host.add("kvm");
      first(found, "kvm", "host");
    }
    if (found[0] == null) {
      detectVirt(out, found, guest);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("virtualization_type", found[0] == null ? "NA" : found[0]);
    f.put("virtualization_role", found[1] == null ? "NA" : found[1]);
    f.put("virtualization_tech_guest", new ArrayList<Object>(guest));
    f.put("virtualization_tech_host", new ArrayList<Object>(host));
    return f;
  }

  private static void detectVirt(ProbeOutput out, String[] found, Set<String> guest) {
    for (String line : out.lines("detectvirt")) {
      int eq = line.indexOf('=');
      String value = eq < 0 ? "" : line.substring(eq + 1).strip();
      if (value.isEmpty() || value.equals("none")) {
        continue;
      }
      String name = DETECT_VIRT_NAMES.getOrDefault(value, value.toLowerCase(Locale.ROOT));
      guest.add(name);
      first(found, name, "guest");
    }
  }

  /** Records a finding unless an earlier check already decided (Ansible's found_virt). */
  private static void first(String[] found, String type, String role) {
    if (found[0] == null) {
      found[0] = type;
      found[1] = role;
    }
  }
}
