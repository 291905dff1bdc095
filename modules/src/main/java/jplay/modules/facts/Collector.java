package jplay.modules.facts;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Ansible's fact collectors, by the names {@code gather_subset} uses. Those jplay does not implement are still
 * known, so a playbook written for Ansible ({@code gather_subset: ['!facter', '!ohai']}) is accepted; they simply
 * gather nothing.
 */
enum Collector {
  PLATFORM(true, List.of("architecture", "kernel", "kernel_version", "machine", "machine_id", "python_version",
      "system")),
  DISTRIBUTION(true, List.of("distribution_major_version", "distribution_release", "distribution_version",
      "os_family")),
  ENV(true, List.of()),
  USER(true, List.of("effective_group_ids", "effective_user_id", "real_user_id", "user_dir", "user_gecos",
      "user_gid", "user_id", "user_shell", "user_uid")),
  DATE_TIME(true, List.of()),
  DNS(true, List.of()),
  SELINUX(true, List.of()),
  APPARMOR(true, List.of()),
  FIPS(true, List.of()),
  LOADAVG(true, List.of()),
  SERVICE_MGR(true, List.of()),
  PKG_MGR(true, List.of()),
  LOCAL(true, List.of()),
  HARDWARE(true, List.of("devices", "mounts", "processor", "processor_cores", "processor_count")),
  NETWORK(true, List.of("all_ipv4_addresses", "all_ipv6_addresses", "default_ipv4", "default_ipv6", "interfaces")),
  VIRTUAL(true, List.of("virtualization_role", "virtualization_tech_guest", "virtualization_tech_host",
      "virtualization_type")),
  CAPS(false, List.of("system_capabilities", "system_capabilities_enforced")),
  CMDLINE(false, List.of()),
  LSB(false, List.of()),
  PYTHON(false, List.of()),
  SSH_PUB_KEYS(false, List.of("ssh_host_key_dsa_public", "ssh_host_key_ecdsa_public",
      "ssh_host_key_ed25519_public", "ssh_host_key_rsa_public", "ssh_host_pub_keys")),
  CHROOT(false, List.of("is_chroot")),
  FIBRE_CHANNEL_WWN(false, List.of()),
  ISCSI(false, List.of()),
  NVME(false, List.of()),
  FACTER(false, List.of("facter")),
  OHAI(false, List.of());

  /** Ansible's minimal_gather_subset: always gathered unless {@code !min}. */
  static final Set<Collector> MIN = Set.of(APPARMOR, CAPS, CMDLINE, DATE_TIME, DISTRIBUTION, DNS, ENV, FIPS, LOCAL,
      LSB, PKG_MGR, PLATFORM, PYTHON, SELINUX, SERVICE_MGR, SSH_PUB_KEYS, USER);

  final boolean implemented;
  /** Fact names that also select this collector in {@code gather_subset} ({@code !hardware} drops them too). */
  final List<String> factIds;

  Collector(boolean implemented, List<String> factIds) {
    this.implemented = implemented;
    this.factIds = factIds;
  }

  /** The name users write: {@code date_time}, {@code service_mgr}. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Collectors whose facts this one reads, added as Ansible's required_facts are. */
  List<Collector> requires() {
    return switch (this) {
      case PKG_MGR -> List.of(DISTRIBUTION);
      case SERVICE_MGR, NETWORK -> List.of(DISTRIBUTION, PLATFORM);
      case HARDWARE -> List.of(PLATFORM);
      default -> List.of();
    };
  }
}
