package org.vigie.node.transfer;

/** Hears about an import's progress. Called from the importer's threads; implementations must be thread-safe. */
public interface ImportListener
{
    ImportListener NONE = new ImportListener() {};

    /** Bytes of input read so far (of all files), for progress display. */
    default void bytesRead(long total) {}

    /**
     * One batch is durable: {@code committed} objects (stored plus duplicates) of the input, counted in input
     * order, are now acknowledged.
     */
    default void committed(long committed, long stored, long duplicates) {}
}
