package org.vigie.kafka;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Stops the shared test broker when the test plan has run, while the JVM is still up. Stopping it from a shutdown
 * hook raced Kafka's own hooks that delete the broker's temporary directories: a broker that saw its log directory
 * vanish halted the JVM with status 1 after every test had passed, which failed the build.
 */
public final class SharedKafkaStop
        implements TestExecutionListener
{
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan)
    {
        KafkaTestCluster.stopShared();
    }
}
