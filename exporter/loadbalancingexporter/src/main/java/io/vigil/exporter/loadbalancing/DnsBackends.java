package io.vigil.exporter.loadbalancing;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * {@code resolver::dns}: every {@code interval}, asks the name servers for the A and AAAA records
 * of {@code hostname}; each address with {@code port} is a backend. Netty's DNS client speaks
 * the wire protocol itself, reading the name servers and search domains from
 * {@code /etc/resolv.conf} (and {@code /etc/hosts} first) as the Collector's Go resolver does. It
 * caches nothing: every round asks again, so a removed record leaves the ring one interval later
 * whatever TTL it had. A failed round (timeout, NXDOMAIN, SERVFAIL) keeps the last known backends
 * rather than emptying the ring on a name server's hiccup.
 */
final class DnsBackends implements BackendResolver {

  private final LoadBalancingExporterConfig.Dns config;
  private final DnsServerAddressStreamProvider nameServers;
  private final LoadBalancerMetrics metrics;
  private final Logger log;
  private final AtomicBoolean asking = new AtomicBoolean();
  private EventLoopGroup loop;
  private DnsNameResolver dns;
  private volatile Set<String> last;

  DnsBackends(LoadBalancingExporterConfig.Dns config, LoadBalancerMetrics metrics, Logger log) {
    this(config, DnsServerAddressStreamProviders.platformDefault(), metrics, log);
  }

  /** With other name servers than the platform's (tests: a DNS server on loopback). */
  DnsBackends(LoadBalancingExporterConfig.Dns config, DnsServerAddressStreamProvider nameServers,
      LoadBalancerMetrics metrics, Logger log) {
    this.config = config;
    this.nameServers = nameServers;
    this.metrics = metrics;
    this.log = log;
  }

  @Override
  public void start(Consumer<Set<String>> onChange) {
    loop = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("vigil-loadbalancing-dns", true), NioIoHandler.newFactory());
    dns = new DnsNameResolverBuilder(loop.next())
        .datagramChannelType(NioDatagramChannel.class)
        .nameServerProvider(nameServers)
        .queryTimeoutMillis(config.timeout.toMillis())
        .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
        .resolveCache(NoopDnsCache.INSTANCE)
        .cnameCache(NoopDnsCnameCache.INSTANCE)
        .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
        .build();
    loop.next().scheduleWithFixedDelay(() -> ask(onChange), 0, config.interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void ask(Consumer<Set<String>> onChange) {
    // A round still waiting on a slow name server is not overlapped by the next.
    if (!asking.compareAndSet(false, true)) {
      return;
    }
    dns.resolveAll(config.hostname).addListener(f -> {
      try {
        if (!f.isSuccess()) {
          metrics.resolution("dns", false);
          log.warn("loadbalancing: DNS lookup of {} failed, keeping the {} known backends: {}",
              config.hostname, last == null ? 0 : last.size(), f.cause().toString());
          return;
        }
        metrics.resolution("dns", true);
        @SuppressWarnings("unchecked")
        Set<String> now = endpoints((List<InetAddress>) f.getNow(), config.port);
        if (!now.equals(last)) {
          last = now;
          onChange.accept(now);
        }
      } catch (RuntimeException e) {
        log.warn("loadbalancing: applying the backends of {} failed", config.hostname, e);
      } finally {
        asking.set(false);
      }
    });
  }

  static Set<String> endpoints(List<InetAddress> addresses, int port) {
    Set<String> out = new TreeSet<>();
    for (InetAddress a : addresses) {
      String host = a.getHostAddress();
      out.add((a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port);
    }
    return Set.copyOf(out);
  }

  @Override
  public void shutdown() {
    if (dns != null) {
      dns.close();
    }
    if (loop != null) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
