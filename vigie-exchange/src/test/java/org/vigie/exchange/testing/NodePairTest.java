package org.vigie.exchange.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * Base of tests that run two real nodes, a and b (see {@link NodePair}), on fresh files for each test; the
 * certificates are made once per class (keytool is slow).
 */
public abstract class NodePairTest
{
    @TempDir
    static Path certificateDirectory;
    protected static TestCertificates certificates;

    @TempDir
    protected Path directory;

    protected NodePair nodes;
    protected MutableClock clock;
    protected ExchangeTestNode a;
    protected ExchangeTestNode b;

    @BeforeAll
    static void makeCertificates()
            throws Exception
    {
        certificates = TestCertificates.create(certificateDirectory, List.of("a", "b"));
    }

    @BeforeEach
    void startNodes()
    {
        nodes = new NodePair(directory, certificates);
        clock = nodes.clock();
        a = nodes.a();
        b = nodes.b();
    }

    @AfterEach
    void stopNodes()
    {
        nodes.close();
    }
}
