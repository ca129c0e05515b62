package org.vigie.console;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.screening.BatchOptions;
import org.vigie.screening.BatchScreening;
import org.vigie.screening.BatchSummary;
import org.vigie.screening.Screener;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * CSV screening runs started from the console: one at a time on a background thread, with progress
 * counted in rows, results kept in memory for their owner to download. The last
 * {@value #KEPT_JOBS} jobs are kept.
 */
final class ScreeningJobs
        implements AutoCloseable
{
    static final int KEPT_JOBS = 20;

    enum State
    {
        QUEUED,
        RUNNING,
        DONE,
        FAILED
    }

    static final class Job
    {
        final String id;
        final String owner;
        final String fileName;
        final long totalRows;
        final AtomicLong processedRows = new AtomicLong();
        volatile State state = State.QUEUED;
        volatile String error = "";
        volatile String result = "";
        volatile long matchedRows;

        Job(String id, String owner, String fileName, long totalRows)
        {
            this.id = id;
            this.owner = owner;
            this.fileName = fileName;
            this.totalRows = totalRows;
        }
    }

    private final Supplier<Screener> screener;
    private final ExecutorService executor;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    ScreeningJobs(Supplier<Screener> screener)
    {
        this.screener = requireNonNull(screener, "screener is null");
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "console-screening");
            thread.setDaemon(true);
            return thread;
        });
    }

    Job submit(String owner, String fileName, String csv, double threshold)
    {
        BatchOptions options = new BatchOptions(threshold, 1, 1);
        long rows = csv.lines().skip(1).filter(line -> !line.isBlank()).count();
        Job job = new Job(UUID.randomUUID().toString(), owner, fileName, rows);
        synchronized (jobs) {
            jobs.put(job.id, job);
            jobs.values().removeIf(old -> jobs.size() > KEPT_JOBS && old != job && (old.state == State.DONE || old.state == State.FAILED));
        }
        executor.execute(() -> run(job, csv, options));
        return job;
    }

    /** The job, when it exists and belongs to {@code owner}; others' jobs are reported as absent. */
    Optional<Job> find(String owner, String jobId)
    {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(jobId)).filter(job -> job.owner.equals(owner));
        }
    }

    private void run(Job job, String csv, BatchOptions options)
    {
        job.state = State.RUNNING;
        try {
            StringWriter out = new StringWriter();
            BatchSummary summary = BatchScreening.run(screener.get(), new StringReader(csv), out, options, job.processedRows::set);
            job.matchedRows = summary.matchedRows();
            job.processedRows.set(summary.rows());
            job.result = out.toString();
            job.state = State.DONE;
        }
        catch (VigieException e) {
            job.error = e.getMessage();
            job.state = State.FAILED;
        }
        catch (RuntimeException e) {
            job.error = new VigieException(ErrorCode.INTERNAL_ERROR, "screening run failed: " + e).getMessage();
            job.state = State.FAILED;
            throw e;
        }
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
