package io.vigil.exporter.loadbalancing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authoritative DNS server on 127.0.0.1 (UDP, a free port) speaking the real wire format
 * through netty's DNS codec: answers A and AAAA questions from a table the test changes, with
 * TTL 0; NXDOMAIN for names not in it.
 */
final class LoopbackDnsServer implements AutoCloseable {

  private final Map<String, List<InetAddress>> records = new ConcurrentHashMap<>();
  final AtomicInteger queries = new AtomicInteger();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  LoopbackDnsServer() throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<NioDatagramChannel>() {
          @Override
          protected void initChannel(NioDatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new Answerer());
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /** From now on {@code name} resolves to {@code addresses} (none: NXDOMAIN). */
  void set(String name, InetAddress... addresses) {
    records.put(name.endsWith(".") ? name : name + ".", List.of(addresses));
  }

  DnsServerAddressStreamProvider asNameServer() {
    return new SingletonDnsServerAddressStreamProvider(
        (InetSocketAddress) channel.localAddress());
  }

  private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      queries.incrementAndGet();
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      DatagramDnsResponse r = new DatagramDnsResponse(query.recipient(), query.sender(),
          query.id());
      r.setAuthoritativeAnswer(true);
      r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
      List<InetAddress> known = records.getOrDefault(q.name(), List.of());
      if (known.isEmpty()) {
        r.setCode(DnsResponseCode.NXDOMAIN);
      }
      for (InetAddress a : known) {
        boolean wanted = q.type() == DnsRecordType.A ? a instanceof Inet4Address
            : q.type() == DnsRecordType.AAAA && a instanceof Inet6Address;
        if (wanted) {
          r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), q.type(), 0,
              Unpooled.wrappedBuffer(a.getAddress())));
        }
      }
      ctx.writeAndFlush(r);
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
