package dev.stepguard.composition;

import jdk.net.UnixDomainPrincipal;

/** Who may be on the other side of the hand-off socket: this process's user, or root. */
final class Peers {
  private Peers() {}

  static boolean trusted(UnixDomainPrincipal peer) {
    return trusted(peer.user().getName());
  }

  static boolean trusted(String user) {
    return user.equals(System.getProperty("user.name")) || user.equals("root");
  }
}
