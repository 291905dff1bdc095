package jplay.engine.connection;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;

/**
 * Keep-alive probes for every ssh connection of the process from one thread. sshj's own keep-alive is a thread
 * per connection; with a reader thread and a fork thread beside it that was three threads per host, each with its
 * stack, the largest share of the controller's memory per host at 200 hosts. Same protocol as sshj's
 * ({@code keepalive@openssh.com}, wanting a reply): a link that leaves {@value #MAX_UNANSWERED} probes in a row
 * unanswered is declared dead, so a command waiting on it fails instead of hanging.
 */
final class SharedKeepAlive {
  static final int MAX_UNANSWERED = 5;

  private static final Map<SSHClient, Queue<Promise<SSHPacket, ConnectionException>>> WATCHED = new ConcurrentHashMap<>();
  private static final Object LOCK = new Object();
  private static ScheduledExecutorService timer;

  private SharedKeepAlive() {}

  /** Probes {@code client} every {@code seconds} from now on, until it disconnects or is {@link #forget forgotten}. */
  static void watch(SSHClient client, int seconds) {
    WATCHED.put(client, new ArrayDeque<>());
    synchronized (LOCK) {
      if (timer == null) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "jplay-ssh-keepalive");
          t.setDaemon(true);
          return t;
        });
        timer.scheduleWithFixedDelay(SharedKeepAlive::probeAll, seconds, seconds, TimeUnit.SECONDS);
      }
    }
  }

  static void forget(SSHClient client) {
    WATCHED.remove(client);
  }

  /** Probes sent to {@code client} and not answered yet; -1 when it is not watched. For tests. */
  static int unanswered(SSHClient client) {
    Queue<Promise<SSHPacket, ConnectionException>> q = WATCHED.get(client);
    if (q == null) {
      return -1;
    }
    q.removeIf(Promise::isFulfilled);
    return q.size();
  }

  /** One round of probes; the timer calls it every interval. */
  static void probeAll() {
    for (Map.Entry<SSHClient, Queue<Promise<SSHPacket, ConnectionException>>> e : WATCHED.entrySet()) {
      SSHClient c = e.getKey();
      if (!c.isConnected()) {
        WATCHED.remove(c);
        continue;
      }
      Queue<Promise<SSHPacket, ConnectionException>> unanswered = e.getValue();
      // A reply of either kind (OpenSSH answers this request with a failure message) shows the peer is alive.
      unanswered.removeIf(Promise::isFulfilled);
      try {
        if (unanswered.size() >= MAX_UNANSWERED) {
          WATCHED.remove(c);
          c.getTransport().die(new ConnectionException("no answer to " + MAX_UNANSWERED + " keep-alive probes in a row"));
          continue;
        }
        unanswered.add(c.getConnection().sendGlobalRequest("keepalive@openssh.com", true, new byte[0]));
      } catch (Exception ex) {
        // The link broke while sending: sshj's reader sees the same failure and ends the transport.
        WATCHED.remove(c);
      }
    }
  }
}
