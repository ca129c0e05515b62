package org.vigie.store;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A TAXII collection: identifier (a UUID), title, optional description and alias, accepted media types. */
public record CollectionInfo(String id, String title, Optional<String> description, Optional<String> alias, List<String> mediaTypes)
{
    public static final String STIX_21_MEDIA_TYPE = "application/stix+json;version=2.1";

    public CollectionInfo
    {
        requireNonNull(id, "id is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        requireNonNull(alias, "alias is null");
        mediaTypes = List.copyOf(requireNonNull(mediaTypes, "mediaTypes is null"));
    }

    public static CollectionInfo of(String id, String title)
    {
        return new CollectionInfo(id, title, Optional.empty(), Optional.empty(), List.of(STIX_21_MEDIA_TYPE));
    }
}
