package org.vigie.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.TestObjects;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicated Kafka event logs (one per replica, over one store): exactly one relays, the relay moves to another
 * replica when its leader goes, and a reader sees every event once, even the events a dying leader had sent without
 * recording them. Leadership here is a token shared in the test JVM; the PostgreSQL lock is tested with real
 * replicas in the node's {@code KafkaReplicasTest}.
 */
public class ReplicatedKafkaEventLogTest
{
    private static final String COLLECTION = "5a3c9f0e-2b1d-4c7e-9f8a-1d2e3f4a5b6c";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private KafkaTestCluster cluster;

    @TempDir
    Path directory;


    /** The first member to ask leads until it resigns or closes. */
    private static final class Token
    {
        private RelayLeadership holder;

        RelayLeadership member()
        {
            return new RelayLeadership()
            {
                @Override
                public boolean lead()
                {
                    synchronized (Token.this) {
                        if (holder == null) {
                            holder = this;
                        }
                        return holder == this;
                    }
                }

                @Override
                public void resign()
                {
                    synchronized (Token.this) {
                        if (holder == this) {
                            holder = null;
                        }
                    }
                }

                @Override
                public void close()
                {
                    resign();
                }
            };
        }
    }

    @Test
    public void oneReplicaRelaysAndAnotherTakesOverWithoutGapOrDuplicate()
            throws Exception
    {
        cluster = KafkaTestCluster.shared();
        KafkaConfig config = KafkaConfig.defaults().withBootstrapServers(cluster.bootstrapServers()).withTopicPrefix("replicated.");
        String relayCursor = KafkaEventLogs.relayCursorName(config);
        Token token = new Token();
        try (ObjectStore store = ObjectStores.sqlite(directory.resolve("store.db"), InstantSource.system())) {
            store.createCollection(CollectionInfo.of(COLLECTION, "Replicated"));
            EventLog source = store.events();
            KafkaEventLog first = KafkaEventLogs.replicated(config, source, token.member());
            KafkaTestSupport.await("the first replica relays", DEADLINE, first::relaying);
            try (KafkaEventLog second = KafkaEventLogs.replicated(config, source, token.member())) {
                List<EventBatch> received = new CopyOnWriteArrayList<>();
                try (Subscription subscription = second.subscribe(second.end(), received::add)) {
                    store.addObjects(COLLECTION, versions(20));
                    KafkaTestSupport.await("20 events through the first replica's relay", DEADLINE, () -> received.size() == 20);
                    assertThat(second.relaying()).isFalse();
                    // Each delivered batch holds one event and the cursor just after it, from which a reader resumes.
                    assertThat(received).allMatch(batch -> batch.events().size() == 1);
                    List<Event> rest = readFrom(second, received.get(9).next(), 10);
                    assertThat(rest).containsExactlyElementsOf(received.subList(10, 20).stream().map(batch -> batch.events().get(0)).toList());

                    // The leader goes just after sending its last 10 events, before recording them as sent.
                    KafkaTestSupport.await("the first relay recorded every event", DEADLINE,
                            () -> source.savedCursor(relayCursor).map(cursor -> cursor.position("sequence").orElse(0)).orElse(0L) == 20);
                    // A reader starting at the end now must not see the copies either: end() names the store's sequence.
                    Cursor endBeforeCopies = second.end();
                    source.saveCursor(relayCursor, source.savedCursor(relayCursor).orElseThrow().with("sequence", 10));
                    first.close();
                    KafkaTestSupport.await("the second replica relays", DEADLINE, second::relaying);
                    store.addObjects(COLLECTION, versions(5));
                    KafkaTestSupport.await("25 events", DEADLINE, () -> received.size() >= 25);
                    assertThat(subscription.failure()).isEmpty();
                    assertThat(readFrom(second, endBeforeCopies, 5)).extracting(Event::sequence).containsExactlyInAnyOrder(21L, 22L, 23L, 24L, 25L);
                }
                assertThat(received.stream().map(batch -> batch.events().get(0).sequence()).sorted().toList())
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, 25).boxed().toList());
                // The 10 copies are in the topic; readers skipped them.
                assertThat(((KafkaEventLogImplementation) second).records()).isEqualTo(35);
                assertThat(readFrom(second, second.beginning(), 25)).extracting(Event::sequence).doesNotHaveDuplicates().hasSize(25);
                assertThat(second.relayFailure()).isEmpty();
            }
            finally {
                first.close();
            }
        }
    }

    private static List<StixObject> versions(int count)
    {
        List<StixObject> objects = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            objects.add(TestObjects.version(TestObjects.newId("indicator"), Instant.parse("2026-01-01T00:00:00Z"), "replicated"));
        }
        return objects;
    }

    /** Polls from {@code from} until {@code count} events have come; fails on more. */
    private static List<Event> readFrom(EventLog log, Cursor from, int count)
    {
        List<Event> events = new ArrayList<>();
        Cursor[] position = {from};
        KafkaTestSupport.await(count + " events from " + from, DEADLINE, () -> {
            EventBatch batch = log.poll(position[0], 100);
            events.addAll(batch.events());
            position[0] = batch.next();
            return events.size() >= count;
        });
        assertThat(events).hasSize(count);
        assertThat(log.poll(position[0], 100).events()).isEmpty();
        return events;
    }
}
