package org.vigie.console;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.StoreConfig;
import org.vigie.store.events.Cursor;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The short ids of the live feed over a log of many positions, on a real SQLite database: a cursor of 200
 * collections (a Kafka cursor's offset and sequence per topic partition) is said in far fewer characters than
 * its own text, read back exactly, and never beyond the bound; bases expire after a day.
 */
class FeedPositionsTest
{
    private static final int COLLECTIONS = 200;

    @TempDir
    Path directory;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T10:00:00Z"));
    private final InstantSource clock = () -> now.get();

    @Test
    void idsOfTwoHundredCollectionsStayShortAndReadBackExactly()
    {
        Random random = new Random(20261122);
        Cursor start = kafkaCursor(random);
        assertThat(start.encode().length()).as("a whole cursor's text").isGreaterThan(COLLECTIONS * 100);
        try (SearchDatabase database = SearchDatabase.sqlite(directory.resolve("search.db"))) {
            FeedPositions positions = new FeedPositions(database, clock, random);
            FeedPositions.Base base = positions.save(start);
            Cursor current = start;
            int rebased = 0;
            for (int step = 0; step < 2_000; step++) {
                // A random collection moves on: its offset and its sequence.
                String partition = current.positions().keySet().stream().skip(random.nextInt(current.positions().size())).findFirst().orElseThrow().replace("/sequence", "");
                long advance = 1 + random.nextInt(1_000);
                current = current.with(partition, current.positions().get(partition) + advance)
                        .with(partition + "/sequence", current.positions().get(partition + "/sequence") + advance * 7);
                Optional<String> id = FeedPositions.encode(base, current);
                if (id.isEmpty()) {
                    base = positions.save(current);
                    id = FeedPositions.encode(base, current);
                    rebased++;
                }
                assertThat(id.orElseThrow().length()).isLessThanOrEqualTo(FeedPositions.MAXIMUM_ID_CHARACTERS).isLessThan(512);
                FeedPositions.Compact compact = FeedPositions.parse(id.get());
                assertThat(FeedPositions.apply(positions.find(compact.token()).orElseThrow(), compact, id.get())).isEqualTo(current);
            }
            // Each base serves many ids: a new one only when the changes outgrow the bound.
            assertThat(rebased).isBetween(1, 2_000 / 10);
        }
    }

    @Test
    void aCursorNamingAPositionTheBaseLacksNeedsANewBase()
    {
        Cursor start = kafkaCursor(new Random(1));
        try (SearchDatabase database = SearchDatabase.sqlite(directory.resolve("search.db"))) {
            FeedPositions.Base base = new FeedPositions(database, clock).save(start);
            assertThat(FeedPositions.encode(base, start)).hasValueSatisfying(id -> assertThat(id).matches("f2\\.[A-Za-z0-9_-]{16}\\."));
            assertThat(FeedPositions.encode(base, start.with("vigie.collection.new/0", 1))).isEmpty();
        }
    }

    @Test
    void basesExpireAfterADayAndAgeAfterHalfOfIt()
    {
        try (SearchDatabase database = SearchDatabase.sqlite(directory.resolve("search.db"))) {
            checkExpiry(database);
        }
    }

    @Test
    void basesAreKeptTheSameWayOnPostgresql()
            throws Exception
    {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE feed_positions");
            }
            StoreConfig store = new StoreConfig(server.getJdbcUrl("postgres", "feed_positions"), Optional.of("postgres"), Optional.empty(), 2);
            try (SearchDatabase database = SearchDatabase.postgresql(store)) {
                checkExpiry(database);
            }
        }
    }

    private void checkExpiry(SearchDatabase database)
    {
        FeedPositions positions = new FeedPositions(database, clock);
        FeedPositions.Base base = positions.save(kafkaCursor(new Random(2)));
        assertThat(positions.find(base.token())).hasValueSatisfying(found -> assertThat(found.cursor()).isEqualTo(base.cursor()));
        assertThat(positions.aging(base)).isFalse();
        now.set(now.get().plus(FeedPositions.RETENTION.dividedBy(2)).plusSeconds(1));
        assertThat(positions.aging(base)).isTrue();
        assertThat(positions.find(base.token())).isPresent();
        now.set(base.created().plus(FeedPositions.RETENTION).plusSeconds(1));
        assertThat(positions.find(base.token())).isEmpty();
        // The next save deletes the expired row.
        FeedPositions.Base later = positions.save(Cursor.empty().with("a", 1).with("b", 2));
        now.set(base.created());
        assertThat(positions.find(base.token())).as("deleted, not only hidden").isEmpty();
        assertThat(positions.find(later.token())).isPresent();
        assertThat(positions.find("AAAAAAAAAAAAAAAA")).isEmpty();
    }

    @Test
    void malformedIdsAreRejectedSayingWhy()
    {
        assertThat(FeedPositions.isCompact("f2.abc")).isTrue();
        assertThat(FeedPositions.isCompact(Cursor.empty().with("sequence", 5).encode())).isFalse();
        assertThatThrownBy(() -> FeedPositions.parse("f2.short.1:2"))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EVENT_CURSOR_INVALID))
                .hasMessageContaining("is not of the form");
        assertThatThrownBy(() -> FeedPositions.parse("f2.AAAAAAAAAAAAAAAA.1:2,1:3")).hasMessageContaining("changes twice");
        assertThatThrownBy(() -> FeedPositions.parse("f2.AAAAAAAAAAAAAAAA.1:zzzzzzzzzzzzzzzzzzzz")).hasMessageContaining("out of range");
        FeedPositions.Base base = new FeedPositions.Base("AAAAAAAAAAAAAAAA", Cursor.empty().with("a", 1).with("b", 2), Instant.EPOCH);
        String id = "f2.AAAAAAAAAAAAAAAA.2:1";
        assertThatThrownBy(() -> FeedPositions.apply(base, FeedPositions.parse(id), id)).hasMessageContaining("position 2 does not exist in its base (2 positions)");
    }

    /** A cursor such as the Kafka log's: per collection topic, one partition's offset and highest sequence read. */
    private static Cursor kafkaCursor(Random random)
    {
        TreeMap<String, Long> positions = new TreeMap<>();
        for (int index = 0; index < COLLECTIONS; index++) {
            String partition = "vigie.collection." + new UUID(random.nextLong(), random.nextLong()) + "/0";
            positions.put(partition, (long) random.nextInt(1_000_000));
            positions.put(partition + "/sequence", (long) random.nextInt(100_000_000));
        }
        return Cursor.of(positions);
    }
}
