package org.vigie.exchange.service;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The sending node of {@link SenderCrashTest}, run in its own JVM so that it can be killed with
 * SIGKILL: opens node "a" on the files in {@code args[0]} and releases indicator after indicator to
 * partner "b", pushing each at once, printing {@code released <n>} after each committed release.
 */
public final class SenderProcess
{
    static final String POLICY = "{\"name\":\"p\",\"rules\":[{\"name\":\"b gets green\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"green\"}]}";

    private SenderProcess() {}

    public static void main(String[] args)
            throws Exception
    {
        Path directory = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        OctetKeyPair key = OctetKeyPair.parse(Files.readString(directory.resolve("a.jwk")));
        TestCertificates certificates = TestCertificates.existing(directory);
        ExchangeTestNode a = new ExchangeTestNode("a", key, directory, certificates, new MutableClock(Instant.parse("2026-04-01T10:00:00Z")));
        a.policy(POLICY);
        for (int number = 1; number <= count; number++) {
            a.service().release(List.of(ReleaseItem.of(TestObjects.indicator(number, Tlp.GREEN), "intel")), ReleaseTargets.partners("b"), "process");
            System.out.println("released " + number);
            System.out.flush();
            a.service().deliverDue();
        }
        // Wait to be killed; the test never lets the process end on its own.
        Thread.sleep(Long.MAX_VALUE);
    }
}
