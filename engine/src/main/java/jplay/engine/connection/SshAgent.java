package jplay.engine.connection;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * The keys of a running ssh-agent ({@code SSH_AUTH_SOCK}), spoken to over its Unix socket with the two requests
 * public-key login needs (draft-miller-ssh-agent: REQUEST_IDENTITIES and SIGN_REQUEST). sshj has no agent support
 * and the libraries that add it are unmaintained; the protocol is small enough to keep here.
 */
final class SshAgent {
  private static final byte REQUEST_IDENTITIES = 11;
  private static final byte IDENTITIES_ANSWER = 12;
  private static final byte SIGN_REQUEST = 13;
  private static final byte SIGN_RESPONSE = 14;
  private static final int RSA_SHA2_256 = 2;
  private static final int RSA_SHA2_512 = 4;

  private static volatile Path override;

  /** One key the agent holds: its public key blob and comment. */
  record Identity(byte[] blob, String comment) {}

  private final Path socket;

  private SshAgent(Path socket) {
    this.socket = socket;
  }

  /** Uses the agent at {@code socket} instead of {@code $SSH_AUTH_SOCK} (tests); null to go back. */
  static void use(Path socket) {
    override = socket;
  }

  /** The agent to ask, or null when none runs. */
  static SshAgent find() {
    Path p = override;
    if (p == null) {
      String env = System.getenv("SSH_AUTH_SOCK");
      p = env == null || env.isEmpty() ? null : Path.of(env);
    }
    return p != null && Files.exists(p) ? new SshAgent(p) : null;
  }

  Path socket() {
    return socket;
  }

  /** The keys the agent offers. */
  List<Identity> identities() throws IOException {
    Buffer.PlainBuffer reply = call(new Buffer.PlainBuffer().putByte(REQUEST_IDENTITIES));
    try {
      byte type = reply.readByte();
      if (type != IDENTITIES_ANSWER) {
        throw new IOException("ssh-agent refused to list its keys (reply " + type + ")");
      }
      long n = reply.readUInt32();
      List<Identity> out = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        out.add(new Identity(reply.readStringAsBytes(), reply.readString()));
      }
      return out;
    } catch (Buffer.BufferException e) {
      throw new IOException("ssh-agent sent a malformed key list: " + e.getMessage(), e);
    }
  }

  /** The agent's signature blob (algorithm name and signature) of {@code data} with key {@code blob}. */
  byte[] sign(byte[] blob, byte[] data, String algorithm) throws IOException {
    int flags = algorithm.equals("rsa-sha2-512") ? RSA_SHA2_512 : algorithm.equals("rsa-sha2-256") ? RSA_SHA2_256 : 0;
    Buffer.PlainBuffer reply = call(new Buffer.PlainBuffer().putByte(SIGN_REQUEST).putString(blob).putString(data)
        .putUInt32(flags));
    try {
      byte type = reply.readByte();
      if (type != SIGN_RESPONSE) {
        throw new IOException("ssh-agent refused to sign (reply " + type + "); is the key confirmed or locked?");
      }
      return reply.readStringAsBytes();
    } catch (Buffer.BufferException e) {
      throw new IOException("ssh-agent sent a malformed signature: " + e.getMessage(), e);
    }
  }

  private Buffer.PlainBuffer call(Buffer.PlainBuffer request) throws IOException {
    byte[] body = request.getCompactData();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ByteBuffer len = read(ch, 4);
      int n = len.getInt();
      if (n <= 0 || n > 256 * 1024) {
        throw new IOException("ssh-agent sent a reply of " + n + " bytes");
      }
      return new Buffer.PlainBuffer(read(ch, n).array());
    }
  }

  private static ByteBuffer read(SocketChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("ssh-agent closed the connection");
      }
    }
    return b.flip();
  }

  /** A login method per agent key: sshj's public-key method with the signing done by the agent. */
  AuthPublickey auth(Identity id) throws IOException {
    PublicKey key;
    try {
      key = new Buffer.PlainBuffer(id.blob()).readPublicKey();
    } catch (Buffer.BufferException e) {
      throw new IOException("ssh-agent key '" + id.comment() + "' is not a key sshj reads: " + e.getMessage(), e);
    }
    return new AgentAuth(this, id, key);
  }

  /** {@code "agent key COMMENT"}, for the list of what was tried. */
  static String describe(Identity id) {
    return "agent key " + (id.comment().isEmpty() ? "(no comment)" : id.comment());
  }

  private static final class AgentAuth extends AuthPublickey {
    private final SshAgent agent;
    private final Identity id;

    AgentAuth(SshAgent agent, Identity id, PublicKey key) {
      super(new KeyProvider() {
        @Override
        public PrivateKey getPrivate() throws IOException {
          throw new IOException("the private key of '" + id.comment() + "' stays in ssh-agent");
        }

        @Override
        public PublicKey getPublic() {
          return key;
        }

        @Override
        public KeyType getType() {
          return KeyType.fromKey(key);
        }
      });
      this.agent = agent;
      this.id = id;
    }

    @Override
    protected SSHPacket putSig(SSHPacket req) throws UserAuthException {
      byte[] request = req.getCompactData();
      String algorithm;
      try {
        // The request so far: message, user, service, "publickey", TRUE, algorithm, key blob.
        Buffer.PlainBuffer b = new Buffer.PlainBuffer(request);
        b.readByte();
        b.readString();
        b.readString();
        b.readString();
        b.readBoolean();
        algorithm = b.readString();
      } catch (Buffer.BufferException e) {
        throw new UserAuthException("cannot read back the login request: " + e.getMessage(), e);
      }
      byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putRawBytes(request)
          .getCompactData();
      try {
        return req.putString(agent.sign(id.blob(), data, algorithm));
      } catch (IOException e) {
        throw new UserAuthException("ssh-agent at " + agent.socket() + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "SshAgent[" + socket + "]";
  }
}
