package org.vigie.exchange.testing;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Two exchange nodes, a and b, that know each other, on one fake clock; a's policy lets b have
 * objects up to TLP:GREEN.
 */
public final class NodePair
        implements AutoCloseable
{
    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
    private final ExchangeTestNode a;
    private final ExchangeTestNode b;

    public NodePair(Path directory, TestCertificates certificates)
    {
        a = new ExchangeTestNode("a", directory, certificates, clock);
        b = new ExchangeTestNode("b", directory, certificates, clock);
        a.knows(b);
        b.knows(a);
        a.policy("{\"name\":\"a\",\"rules\":[{\"name\":\"b gets green\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"green\"}]}");
    }

    public MutableClock clock()
    {
        return clock;
    }

    public ExchangeTestNode a()
    {
        return a;
    }

    public ExchangeTestNode b()
    {
        return b;
    }

    @Override
    public void close()
    {
        try {
            a.close();
        }
        finally {
            b.close();
        }
    }
}
