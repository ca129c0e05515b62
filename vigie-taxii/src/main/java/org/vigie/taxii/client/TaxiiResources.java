package org.vigie.taxii.client;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The TAXII 2.1 resources the client returns, as immutable values. */
public final class TaxiiResources
{
    private TaxiiResources() {}

    public record Discovery(String title, Optional<String> description, Optional<String> defaultApiRoot, List<String> apiRoots)
    {
        public Discovery
        {
            requireNonNull(title, "title is null");
            requireNonNull(description, "description is null");
            requireNonNull(defaultApiRoot, "defaultApiRoot is null");
            apiRoots = List.copyOf(requireNonNull(apiRoots, "apiRoots is null"));
        }
    }

    public record ApiRoot(String title, Optional<String> description, List<String> versions, long maxContentLength)
    {
        public ApiRoot
        {
            requireNonNull(title, "title is null");
            requireNonNull(description, "description is null");
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
        }
    }

    public record Collection(String id, String title, Optional<String> description, Optional<String> alias, boolean canRead, boolean canWrite, List<String> mediaTypes)
    {
        public Collection
        {
            requireNonNull(id, "id is null");
            requireNonNull(title, "title is null");
            requireNonNull(description, "description is null");
            requireNonNull(alias, "alias is null");
            mediaTypes = List.copyOf(requireNonNull(mediaTypes, "mediaTypes is null"));
        }
    }

    /** A page of objects with the paging headers of the response. */
    public record Envelope(boolean more, Optional<String> next, List<JsonNode> objects, Optional<String> dateAddedFirst, Optional<String> dateAddedLast)
    {
        public Envelope
        {
            requireNonNull(next, "next is null");
            objects = List.copyOf(requireNonNull(objects, "objects is null"));
            requireNonNull(dateAddedFirst, "dateAddedFirst is null");
            requireNonNull(dateAddedLast, "dateAddedLast is null");
        }
    }

    public record ManifestRecord(String id, String dateAdded, String version, String mediaType)
    {
        public ManifestRecord
        {
            requireNonNull(id, "id is null");
            requireNonNull(dateAdded, "dateAdded is null");
            requireNonNull(version, "version is null");
            requireNonNull(mediaType, "mediaType is null");
        }
    }

    public record Manifest(boolean more, Optional<String> next, List<ManifestRecord> objects, Optional<String> dateAddedFirst, Optional<String> dateAddedLast)
    {
        public Manifest
        {
            requireNonNull(next, "next is null");
            objects = List.copyOf(requireNonNull(objects, "objects is null"));
            requireNonNull(dateAddedFirst, "dateAddedFirst is null");
            requireNonNull(dateAddedLast, "dateAddedLast is null");
        }
    }

    public record Versions(boolean more, Optional<String> next, List<String> versions, Optional<String> dateAddedFirst, Optional<String> dateAddedLast)
    {
        public Versions
        {
            requireNonNull(next, "next is null");
            versions = List.copyOf(requireNonNull(versions, "versions is null"));
            requireNonNull(dateAddedFirst, "dateAddedFirst is null");
            requireNonNull(dateAddedLast, "dateAddedLast is null");
        }
    }

    public record StatusDetail(String id, Optional<String> version, Optional<String> message)
    {
        public StatusDetail
        {
            requireNonNull(id, "id is null");
            requireNonNull(version, "version is null");
            requireNonNull(message, "message is null");
        }
    }

    public record Status(
            String id,
            String status,
            Optional<String> requestTimestamp,
            int totalCount,
            int successCount,
            int failureCount,
            int pendingCount,
            List<StatusDetail> successes,
            List<StatusDetail> failures,
            List<StatusDetail> pendings)
    {
        public Status
        {
            requireNonNull(id, "id is null");
            requireNonNull(status, "status is null");
            requireNonNull(requestTimestamp, "requestTimestamp is null");
            successes = List.copyOf(requireNonNull(successes, "successes is null"));
            failures = List.copyOf(requireNonNull(failures, "failures is null"));
            pendings = List.copyOf(requireNonNull(pendings, "pendings is null"));
        }

        public boolean complete()
        {
            return status.equals("complete");
        }
    }
}
