package org.vigie.screening;

/** Told how many input rows a batch has processed so far (the CLI draws its progress bar from it). */
@FunctionalInterface
public interface ProgressListener
{
    ProgressListener NONE = rows -> {};

    void rowsProcessed(long rows);
}
