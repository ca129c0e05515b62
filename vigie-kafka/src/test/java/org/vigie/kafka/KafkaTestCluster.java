package org.vigie.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (combined broker and controller, KRaft) in the test JVM. KafkaClusterTestKit is an
 * internal API of Kafka's test artifacts: this is the one place that uses it (published in this module's test jar for
 * the node's tests).
 */
public final class KafkaTestCluster
        implements AutoCloseable
{
    private static KafkaTestCluster shared;

    private final KafkaClusterTestKit cluster;

    private KafkaTestCluster(KafkaClusterTestKit cluster)
    {
        this.cluster = cluster;
    }

    public static KafkaTestCluster start()
            throws Exception
    {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaTestCluster(cluster);
        }
        catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * One broker for every test of this JVM that asks, started at the first call and stopped when the test plan ends
     * ({@link SharedKafkaStop}); tests sharing it keep apart by topic prefix.
     */
    public static synchronized KafkaTestCluster shared()
            throws Exception
    {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    static synchronized void stopShared()
    {
        if (shared == null) {
            return;
        }
        KafkaTestCluster stopping = shared;
        shared = null;
        try {
            stopping.close();
        }
        catch (Exception e) {
            throw new IllegalStateException("stopping the shared test broker failed", e);
        }
    }

    public String bootstrapServers()
    {
        return cluster.bootstrapServers();
    }

    @Override
    public void close()
            throws Exception
    {
        cluster.close();
    }
}
