package org.vigie.taxii.server;

import org.vigie.store.StoredObject;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One stored version as a partner is served it.
 *
 * @param json the stored JSON, or a copy without the references listed in {@code cutReferences}
 * @param cutReferences the property paths (such as {@code object_refs} or {@code extensions.x.parent_ref})
 * whose references to objects the partner may not see were removed; the targets are not named
 */
public record ServedObject(StoredObject stored, String json, List<String> cutReferences)
{
    public ServedObject
    {
        requireNonNull(stored, "stored is null");
        requireNonNull(json, "json is null");
        cutReferences = List.copyOf(requireNonNull(cutReferences, "cutReferences is null"));
    }

    public String id()
    {
        return stored.object().id();
    }
}
