package io.vigil.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who sent the batch a consumer is handling: the peer address of the connection it came in on,
 * as the Collector's {@code client.Info.Addr}. The {@code k8sattributes} processor's
 * {@code pod_association: [{sources: [{from: connection}]}]} matches it to a pod IP.
 *
 * <p>{@link Consumer#consume} carries no context, so a receiver binds the info to the calling
 * thread around its synchronous call into the pipeline ({@link #callWith}); a processor reads it
 * with {@link #current()} inside its own {@code consume}. Like the Collector's request context it
 * is lost at the first stage that hands a batch on from another thread (batch, groupbytrace, a
 * sending queue), so a processor that needs it must come before those.
 */
public final class ClientInfo {

  private static final ThreadLocal<ClientInfo> CURRENT = new ThreadLocal<>();

  private final InetAddress address;

  private ClientInfo(InetAddress address) {
    this.address = Objects.requireNonNull(address, "address");
  }

  public static ClientInfo of(InetAddress address) {
    return new ClientInfo(address);
  }

  /** The info of a socket peer, or empty when the address is not an IP one (in-process, Unix). */
  public static Optional<ClientInfo> of(SocketAddress peer) {
    if (peer instanceof InetSocketAddress && ((InetSocketAddress) peer).getAddress() != null) {
      return Optional.of(new ClientInfo(((InetSocketAddress) peer).getAddress()));
    }
    return Optional.empty();
  }

  /** The peer's IP address. */
  public InetAddress address() {
    return address;
  }

  /** The info the receiver bound to this thread, if a receiver is calling the pipeline here. */
  public static Optional<ClientInfo> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Runs {@code call} with {@code info} as {@link #current()}, restoring what was bound before.
   * A null {@code info} runs it with none.
   */
  public static <R> R callWith(ClientInfo info, Supplier<R> call) {
    ClientInfo previous = CURRENT.get();
    CURRENT.set(info);
    try {
      return call.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientInfo && ((ClientInfo) o).address.equals(address);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  @Override
  public String toString() {
    return "ClientInfo{" + address.getHostAddress() + "}";
  }
}
