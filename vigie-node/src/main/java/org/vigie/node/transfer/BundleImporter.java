package org.vigie.node.transfer;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.BundleReader;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.ObjectStore;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Imports STIX documents (bundles, arrays or single objects) into one collection of a store.
 *
 * <p>Three stages run at once, so that every core works: the calling thread reads and parses, a second
 * thread checks objects, a third commits batches. Objects move between the stages in small batches (parsed trees are
 * large); the writer streams them into transactions of the commit size ({@link ObjectStore#addObjectChunks}), so that
 * a large commit size costs no memory. Batches are committed in input order, one
 * transaction each: when {@link ImportListener#committed}
 * reports N objects, the first N accepted objects of the input are durable. Objects that fail the
 * {@link ObjectCheck} or whose header is unreadable are rejected with a reason (objects with only warnings
 * are stored, and the warnings reported); a file that is not
 * well-formed JSON stops at the error, and what was read before it is stored. Re-importing the same input
 * adds nothing: the store reports every object as a duplicate.
 */
public final class BundleImporter
{
    // End markers compared by identity: distinct instances, never List.of() (one shared empty list).
    private static final List<StixObject> END = Collections.unmodifiableList(new ArrayList<>());
    private static final List<Parsed> END_OF_INPUT = Collections.unmodifiableList(new ArrayList<>());

    // Objects per hand-over between the stages: parsed trees are large (several times their text), and objects
    // waiting for the writer survive young garbage collections, which copy them; so they travel in small batches
    // whatever the commit size (with whole commit batches in flight, the collector's pauses were about a tenth of
    // an import's time).
    static final int PARSE_BATCH_SIZE = 2_000;

    private final ObjectStore store;
    private final ObjectCheck check;
    private final int batchSize;

    private BundleImporter(ObjectStore store, ObjectCheck check, int batchSize)
    {
        this.store = requireNonNull(store, "store is null");
        this.check = requireNonNull(check, "check is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public static BundleImporter create(ObjectStore store, ObjectCheck check, int batchSize)
    {
        return new BundleImporter(store, check, batchSize);
    }

    /**
     * The files to import, in a deterministic order: each argument that is a file, and the {@code *.json}
     * files under each directory argument, sorted by path. Fails naming the first path that does not exist.
     */
    public static List<Path> expand(List<Path> paths)
    {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile)
                            .filter(file -> file.getFileName().toString().endsWith(".json"))
                            .sorted()
                            .forEach(files::add);
                }
                catch (IOException e) {
                    throw new VigieException(ErrorCode.IO_ERROR, "cannot list directory " + path + ": " + e.getMessage(), e);
                }
            }
            else if (Files.isRegularFile(path)) {
                files.add(path);
            }
            else {
                throw new VigieException(ErrorCode.IO_ERROR, "input " + path + " does not exist or is not a regular file or directory");
            }
        }
        return List.copyOf(files);
    }

    /** Total size of the files, for progress display. */
    public static long totalBytes(List<Path> files)
    {
        long total = 0;
        for (Path file : files) {
            try {
                total += Files.size(file);
            }
            catch (IOException e) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot read the size of " + file + ": " + e.getMessage(), e);
            }
        }
        return total;
    }

    /** Imports the files into an existing collection; fails with COLLECTION_NOT_FOUND before reading anything otherwise. */
    public ImportSummary importFiles(String collectionId, List<Path> files, ImportListener listener)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(files, "files is null");
        requireNonNull(listener, "listener is null");
        if (store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist in this store (create it with 'vigie collection add')");
        }
        Writer writer = new Writer(collectionId, listener);
        Checker checker = new Checker(writer);
        writer.feedBy(checker);
        Thread writerThread = start(writer, "vigie-import-writer");
        Thread checkerThread = start(checker, "vigie-import-checker");

        AtomicLong bytes = new AtomicLong();
        List<ImportSummary.FileFailure> failedFiles = new ArrayList<>();
        long read = 0;
        List<Parsed> batch = new ArrayList<>(PARSE_BATCH_SIZE);
        try {
            for (Path file : files) {
                if (failed(checker, writer)) {
                    break;
                }
                String name = file.toString();
                long index = 0;
                try (BundleReader reader = BundleReader.open(new CountingInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), bytes))) {
                    while (reader.hasNext() && !failed(checker, writer)) {
                        batch.add(new Parsed(name, index, reader.next()));
                        read++;
                        index++;
                        if (batch.size() == PARSE_BATCH_SIZE) {
                            checker.submit(batch);
                            listener.bytesRead(bytes.get());
                            batch = new ArrayList<>(PARSE_BATCH_SIZE);
                        }
                    }
                }
                catch (VigieException e) {
                    failedFiles.add(new ImportSummary.FileFailure(name, e.getMessage()));
                }
                catch (IOException e) {
                    failedFiles.add(new ImportSummary.FileFailure(name, "cannot read: " + e.getMessage()));
                }
            }
            if (!batch.isEmpty()) {
                checker.submit(batch);
            }
            listener.bytesRead(bytes.get());
        }
        finally {
            checker.submit(END_OF_INPUT);
        }
        try {
            checkerThread.join();
            writerThread.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for the import to commit", e);
        }
        // A checker's failure comes first: the writer's transaction in progress then fails because of it.
        Throwable failure = checker.failure != null ? checker.failure : writer.failure;
        if (failure != null) {
            if (failure instanceof VigieException vigieException) {
                throw new VigieException(vigieException.errorCode(), "import stopped after " + writer.committed + " committed objects: " + vigieException.getMessage(), vigieException);
            }
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "import stopped after " + writer.committed + " committed objects: " + failure, failure);
        }
        return new ImportSummary(read, writer.stored, writer.duplicates, checker.rejected, checker.warnings, failedFiles);
    }

    private static Thread start(Runnable stage, String name)
    {
        Thread thread = new Thread(stage, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static boolean failed(Checker checker, Writer writer)
    {
        return checker.failure != null || writer.failure != null;
    }

    /** One parsed object and where it was read: file and position in the file. */
    private record Parsed(String file, long index, ParsedObject object) {}

    /**
     * Checks parsed objects in the order read and hands the accepted ones of each batch to the writer; a stage of
     * its own so that parsing, checking and committing use the cores together. Its lists are read after it ends.
     */
    private final class Checker
            extends Stage<Parsed>
    {
        private final Writer writer;
        private final List<ImportSummary.Rejection> rejected = new ArrayList<>();
        private final List<ImportSummary.Rejection> warnings = new ArrayList<>();
        Checker(Writer writer)
        {
            super(END_OF_INPUT);
            this.writer = writer;
        }

        @Override
        boolean nextStageFailed()
        {
            return writer.failure != null;
        }

        @Override
        void process(List<Parsed> batch)
        {
            List<StixObject> accepted = new ArrayList<>(batch.size());
            for (Parsed parsed : batch) {
                StixObject object = accept(parsed.file(), parsed.index(), parsed.object(), rejected, warnings);
                if (object != null) {
                    accepted.add(object);
                }
            }
            if (!accepted.isEmpty()) {
                writer.submit(accepted);
            }
        }

        @Override
        void finished()
        {
            // After a failure here the writer commits nothing more: its batch in progress fails with this failure.
            writer.submit(END);
        }
    }

    private StixObject accept(String file, long index, ParsedObject parsed, List<ImportSummary.Rejection> rejected, List<ImportSummary.Rejection> warnings)
    {
        StixObject object;
        try {
            object = StixObject.fromTree(parsed.tree(), parsed.json());
        }
        catch (VigieException e) {
            rejected.add(new ImportSummary.Rejection(file, index, parsed.idOrDash(), e.getMessage()));
            return null;
        }
        ObjectCheck.Findings findings = check.check(parsed.tree());
        if (!findings.errors().isEmpty()) {
            rejected.add(new ImportSummary.Rejection(file, index, parsed.idOrDash(), String.join("; ", findings.errors())));
            return null;
        }
        if (!findings.warnings().isEmpty()) {
            warnings.add(new ImportSummary.Rejection(file, index, parsed.idOrDash(), String.join("; ", findings.warnings())));
        }
        return object;
    }

    /**
     * Commits the objects in the order submitted, {@code batchSize} per transaction, streaming each transaction's
     * objects from its queue; stops taking work at the first failure.
     */
    private final class Writer
            extends Stage<StixObject>
    {
        private final String collectionId;
        private final ImportListener listener;
        private Checker checker;
        private long committed;
        private long stored;
        private long duplicates;

        Writer(String collectionId, ImportListener listener)
        {
            super(END);
            this.collectionId = collectionId;
            this.listener = listener;
        }

        void feedBy(Checker checker)
        {
            this.checker = checker;
        }

        @Override
        void process(List<StixObject> batch)
        {
            // A transaction starts only with objects in hand: the collection's write lock is not held while the
            // earlier stages are still working on its first objects.
            List<StixObject> first = batch;
            while (first != null) {
                TransactionChunks chunks = new TransactionChunks(first);
                List<AddOutcome> outcomes = store.addObjectChunks(collectionId, chunks);
                for (AddOutcome outcome : outcomes) {
                    switch (outcome.result()) {
                        case STORED -> stored++;
                        case DUPLICATE -> duplicates++;
                    }
                }
                committed += outcomes.size();
                listener.committed(committed, stored, duplicates);
                first = chunks.nextTransactionStart();
            }
        }

        /** The chunks of one transaction: its first batch, then batches from the queue up to {@code batchSize} objects. */
        private final class TransactionChunks
                implements Iterator<List<StixObject>>
        {
            private List<StixObject> pending;
            private List<StixObject> remainder;
            private int taken;

            TransactionChunks(List<StixObject> first)
            {
                this.pending = first;
            }

            @Override
            public boolean hasNext()
            {
                if (pending != null) {
                    return true;
                }
                if (taken == batchSize) {
                    return false;
                }
                pending = take();
                if (pending == null && checker.failure != null) {
                    // As when whole batches were handed over: what the checker accepted after the last commit is
                    // not committed when it failed. Throwing rolls the transaction back.
                    throw new VigieException(ErrorCode.INTERNAL_ERROR, "the checking stage failed: " + checker.failure);
                }
                return pending != null;
            }

            @Override
            public List<StixObject> next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<StixObject> chunk = pending;
                pending = null;
                int room = batchSize - taken;
                if (chunk.size() > room) {
                    remainder = List.copyOf(chunk.subList(room, chunk.size()));
                    chunk = chunk.subList(0, room);
                }
                taken += chunk.size();
                return chunk;
            }

            /** After the commit: the first objects of the next transaction, or null at the end of the input. */
            List<StixObject> nextTransactionStart()
            {
                if (remainder != null) {
                    return remainder;
                }
                return taken == batchSize ? take() : null;
            }

            private List<StixObject> take()
            {
                try {
                    return Writer.this.next();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VigieException(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for objects to commit", e);
                }
            }
        }
    }

    /**
     * One stage of the pipeline on its own thread: takes batches in the order submitted and stops processing at
     * its first failure (or the next stage's), while still draining its queue so that the stage before it never
     * blocks on a full queue. The end marker, compared by identity, ends it.
     */
    private abstract static class Stage<T>
            implements Runnable
    {
        // Two batches in flight per stage bound the memory of parsed trees while keeping every stage busy.
        private final BlockingQueue<List<T>> queue = new ArrayBlockingQueue<>(2);
        private final List<T> end;
        private boolean ended;
        volatile Throwable failure;

        Stage(List<T> end)
        {
            this.end = end;
        }

        final void submit(List<T> batch)
        {
            if (failure != null && batch != end) {
                // The stage has stopped; the reader stops reading and reports the failure.
                return;
            }
            try {
                queue.put(batch);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigieException(ErrorCode.INTERNAL_ERROR, "interrupted while queueing a batch", e);
            }
        }

        /** The next batch submitted, or null once the end marker has been taken; on the stage's thread only. */
        final List<T> next()
                throws InterruptedException
        {
            if (ended) {
                return null;
            }
            List<T> batch = queue.take();
            if (batch == end) {
                ended = true;
                return null;
            }
            return batch;
        }

        @Override
        public final void run()
        {
            try {
                while (true) {
                    List<T> batch;
                    try {
                        batch = next();
                    }
                    catch (InterruptedException e) {
                        failure = e;
                        return;
                    }
                    if (batch == null) {
                        return;
                    }
                    if (failure != null || nextStageFailed()) {
                        continue;
                    }
                    try {
                        process(batch);
                    }
                    catch (RuntimeException e) {
                        failure = e;
                    }
                }
            }
            finally {
                finished();
            }
        }

        abstract void process(List<T> batch);

        boolean nextStageFailed()
        {
            return false;
        }

        /** Runs when the stage ends, whatever the reason. */
        void finished() {}
    }

    private static final class CountingInputStream
            extends FilterInputStream
    {
        private final AtomicLong count;

        CountingInputStream(InputStream in, AtomicLong count)
        {
            super(in);
            this.count = count;
        }

        @Override
        public int read()
                throws IOException
        {
            int value = super.read();
            if (value >= 0) {
                count.incrementAndGet();
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count.addAndGet(read);
            }
            return read;
        }
    }
}
