package jplay.engine.connection;

/**
 * Privilege escalation for one command. The connection wraps the command; modules never see it. The password
 * travels on the command's stdin when sudo asks for it, never on a command line.
 *
 * @param user the user to become (root by default)
 * @param method only "sudo" for now (as {@code ansible_become_method})
 * @param password the sudo password, or null when none is needed
 * @param flags extra sudo flags ({@code ansible_become_flags}), or null
 */
public record Become(String user, String method, String password, String flags) {
  @Override
  public String toString() {
    return "Become[" + method + " -u " + user + (password != null ? " with password" : "") + "]";
  }
}
