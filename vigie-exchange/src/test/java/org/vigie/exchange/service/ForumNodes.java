package org.vigie.exchange.service;

import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Three nodes a, b and c that know each other, on one fake clock; a has the trust group "forum" (b and c) and
 * {@link #POLICY_OF_A}: the forum gets up to GREEN, b bilaterally up to RED.
 */
final class ForumNodes
        implements AutoCloseable
{
    static final String POLICY_OF_A = "{\"name\":\"a\",\"rules\":["
            + "{\"name\":\"forum gets green\",\"effect\":\"allow\",\"groups\":[\"forum\"],\"max_tlp\":\"green\"},"
            + "{\"name\":\"b bilateral\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"red\"}]}";

    final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T10:00:00Z"));
    final ExchangeTestNode a;
    final ExchangeTestNode b;
    final ExchangeTestNode c;
    private final TestCertificates certificates;

    ForumNodes(Path directory, TestCertificates certificates)
    {
        this.certificates = certificates;
        a = new ExchangeTestNode("a", directory, certificates, clock);
        b = new ExchangeTestNode("b", directory, certificates, clock);
        c = new ExchangeTestNode("c", directory, certificates, clock);
        a.knows(b, c);
        b.knows(a, c);
        c.knows(a, b);
        a.registry().putGroup(new TrustGroup("forum", "Forum", TrustGroupKind.MULTILATERAL, List.of("b", "c")));
        a.policy(POLICY_OF_A);
    }

    /** A GET with the client certificate of {@code clientName}, over mutual TLS. */
    HttpResponse<String> get(String clientName, URI uri)
            throws Exception
    {
        return client(clientName).send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient client(String clientName)
    {
        return HttpClient.newBuilder().sslContext(certificates.clientContext(clientName)).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void close()
    {
        for (ExchangeTestNode node : new ExchangeTestNode[] {a, b, c}) {
            node.close();
        }
    }
}
