package org.vigie.node.transfer;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of an import. {@code rejected} lists objects refused with the reason; {@code warnings} lists
 * stored objects with findings that did not prevent storing them (such as a malformed custom property);
 * {@code failedFiles} lists files that could not be read to their end (objects read before the failure are stored).
 */
public record ImportSummary(long read, long stored, long duplicates, List<Rejection> rejected, List<Rejection> warnings, List<FileFailure> failedFiles)
{
    /** One object that was refused, or stored with warnings, and why. */
    public record Rejection(String file, long index, String objectId, String reason)
    {
        public Rejection
        {
            requireNonNull(file, "file is null");
            requireNonNull(objectId, "objectId is null");
            requireNonNull(reason, "reason is null");
        }

        @Override
        public String toString()
        {
            return file + ": object " + index + " (" + objectId + "): " + reason;
        }
    }

    public record FileFailure(String file, String reason)
    {
        public FileFailure
        {
            requireNonNull(file, "file is null");
            requireNonNull(reason, "reason is null");
        }

        @Override
        public String toString()
        {
            return file + ": " + reason;
        }
    }

    public ImportSummary
    {
        rejected = List.copyOf(requireNonNull(rejected, "rejected is null"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        failedFiles = List.copyOf(requireNonNull(failedFiles, "failedFiles is null"));
    }

    public boolean clean()
    {
        return rejected.isEmpty() && failedFiles.isEmpty();
    }
}
