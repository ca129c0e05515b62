package org.vigie.kafka;

import java.time.InstantSource;
import java.util.Optional;

/**
 * A matching worker ({@code vigie match-worker}): a member of consumer group {@link MatchWorkerConfig#groupId()}
 * over the observations topic ({@link ObservationLog}) that matches each observation against its own compiled
 * copy of the indicators and writes one sighting per match to the sightings topic ({@link SightingLog}).
 * The offsets of a polled batch are committed only after the producer has its sightings acknowledged, so a
 * worker killed mid-batch loses no observation: its batch goes to another member, whose sightings have the same
 * ids. Throughput grows with workers up to the number of partitions (and of cores).
 * <p>
 * Each worker matches only the observations of its partitions: an indicator correlating several observations
 * (FOLLOWEDBY, AND across observations, REPEATS) sees those that share a partition, and its state is lost when
 * partitions move. Observations matched before an indicator arrives are not matched against it again.
 */
public interface MatchWorker
        extends AutoCloseable
{
    /**
     * Loads the initial indicators, creates the topics when missing and joins the group. The worker owns
     * {@code indicators} and closes it; {@code clock} decides which indicators are still valid.
     */
    static MatchWorker start(KafkaConfig kafka, MatchWorkerConfig config, IndicatorSource indicators, InstantSource clock)
    {
        return KafkaMatchWorker.start(kafka, config, indicators, clock);
    }

    /** The member's client id, also put in header {@code vigie-worker} of its sightings. */
    String name();

    /** Indicators held. */
    int indicators();

    /** Indicators refused (invalid pattern), initially and from updates. */
    long indicatorErrors();

    /** Observations matched (including those matched again after a rebalance). */
    long observations();

    /** Records that are not readable observations: skipped and logged so that they do not block their partition. */
    long rejected();

    /** Sightings acknowledged by the broker. */
    long sightings();

    /** Batches matched and acknowledged (a batch is one poll of up to {@link MatchWorkerConfig#batchSize()} records). */
    long batches();

    /** Time spent on those batches, from decoding the first record to the last sighting acknowledged, in nanoseconds. */
    long batchNanoseconds();

    /** Observation records whose offsets this worker committed. */
    long committed();

    /** Why the worker stopped, when it has; it is then out of the group and its batch is redelivered to others. */
    Optional<Throwable> failure();

    /** Leaves the group after committing what it handled; the other members take its partitions over. */
    @Override
    void close();
}
