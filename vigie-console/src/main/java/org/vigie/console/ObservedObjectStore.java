package org.vigie.console;

import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.ForwardingObjectStore;
import org.vigie.store.ObjectStore;
import org.vigie.store.VersionFilter;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An {@link ObjectStore} that delegates to another and publishes each newly stored version (not
 * duplicates) to {@link ObjectEvents} once the add is durable, so that the node wires the console's
 * live feed with one line: {@code store = new ObservedObjectStore(store, events)}. Closing it closes
 * the delegate.
 */
public final class ObservedObjectStore
        extends ForwardingObjectStore
{
    private final ObjectEvents events;

    public ObservedObjectStore(ObjectStore delegate, ObjectEvents events)
    {
        super(delegate);
        this.events = requireNonNull(events, "events is null");
    }

    @Override
    public List<AddOutcome> addObjects(String collectionId, List<StixObject> objects)
    {
        List<AddOutcome> outcomes = delegate().addObjects(collectionId, objects);
        for (int i = 0; i < outcomes.size(); i++) {
            AddOutcome outcome = outcomes.get(i);
            switch (outcome.result()) {
                case STORED -> events.publish(ObjectEvent.stored(collectionId, objects.get(i), outcome.dateAdded()));
                case DUPLICATE -> { }
            }
        }
        return outcomes;
    }

    @Override
    public int deleteObject(String collectionId, String objectId, VersionFilter versions, List<String> specVersions)
    {
        int deleted = delegate().deleteObject(collectionId, objectId, versions, specVersions);
        if (deleted > 0) {
            events.publishDeletion(collectionId, objectId);
        }
        return deleted;
    }
}
