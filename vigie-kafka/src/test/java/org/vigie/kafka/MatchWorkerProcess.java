package org.vigie.kafka;

import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * A matching worker in a child JVM, as {@code vigie match-worker} runs it. Arguments: bootstrap servers, topic
 * prefix, client id, SQLite store file, indicator collection, group id, batch size, session timeout (ms),
 * partitions, and from which batch on it holds after the acknowledged sightings of one (with some), before committing, until killed (0: none).
 * Runs until its standard input ends (the parent closes it, or dies), or until killed.
 */
public final class MatchWorkerProcess
{
    // Only the worker's consumer thread reads and sets it.
    private static boolean holding;

    private MatchWorkerProcess() {}

    public static void main(String[] arguments)
            throws IOException
    {
        KafkaConfig kafka = new KafkaConfig(arguments[0], arguments[1], arguments[2], Integer.parseInt(arguments[8]), Optional.empty());
        MatchWorkerConfig config = MatchWorkerConfig.defaults(arguments[4])
                .withGroupId(arguments[5])
                .withBatchSize(Integer.parseInt(arguments[6]))
                .withSessionTimeout(Duration.ofMillis(Integer.parseInt(arguments[7])));
        try (ObjectStore store = ObjectStores.sqlite(Path.of(arguments[3]), InstantSource.system());
                MatchWorker worker = KafkaMatchWorker.start(kafka, config, IndicatorSources.fromStore(store, config.indicatorCollection()), InstantSource.fixed(MatchingData.NOW),
                        (batch, observations, sightings) -> holdIfAsked(batch, observations, sightings, Long.parseLong(arguments[9])))) {
            System.out.println("started " + worker.name() + " with " + worker.indicators() + " indicators");
            System.out.flush();
            while (System.in.read() != -1) {
                // Input is ignored: its end is the signal to stop.
            }
            System.out.println("stopping after " + worker.observations() + " observations, " + worker.sightings() + " sightings");
        }
    }

    /** Stands for a worker that dies between writing a batch's sightings and committing its offsets. */
    private static void holdIfAsked(long batch, int observations, int sightings, long holdAfter)
    {
        if (holdAfter == 0 || batch < holdAfter || sightings == 0 || holding) {
            return;
        }
        holding = true;
        System.out.println("holding batch " + batch + " of " + observations + " observations, " + sightings + " sightings acknowledged, offsets not committed");
        System.out.flush();
        Object forever = new Object();
        synchronized (forever) {
            while (true) {
                try {
                    forever.wait();
                }
                catch (InterruptedException e) {
                    // Only the parent's kill ends this process.
                }
            }
        }
    }
}
