package org.vigie.console;

import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.ApiToken;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.TaxiiStatus;
import org.vigie.store.UserAccount;
import org.vigie.store.VersionFilter;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An {@link ObjectStore} that delegates to another and publishes each newly stored version (not
 * duplicates) to {@link ObjectEvents} once the add is durable, so that the node wires the console's
 * live feed with one line: {@code store = new ObservedObjectStore(store, events)}. Closing it closes
 * the delegate.
 */
public final class ObservedObjectStore
        implements ObjectStore
{
    private final ObjectStore delegate;
    private final ObjectEvents events;

    public ObservedObjectStore(ObjectStore delegate, ObjectEvents events)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.events = requireNonNull(events, "events is null");
    }

    @Override
    public CollectionInfo createCollection(CollectionInfo collection)
    {
        return delegate.createCollection(collection);
    }

    @Override
    public List<CollectionInfo> listCollections()
    {
        return delegate.listCollections();
    }

    @Override
    public Optional<CollectionInfo> findCollection(String collectionId)
    {
        return delegate.findCollection(collectionId);
    }

    @Override
    public List<AddOutcome> addObjects(String collectionId, List<StixObject> objects)
    {
        List<AddOutcome> outcomes = delegate.addObjects(collectionId, objects);
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
    public ObjectPage findObjects(String collectionId, ObjectQuery query)
    {
        return delegate.findObjects(collectionId, query);
    }

    @Override
    public int deleteObject(String collectionId, String objectId, VersionFilter versions, List<String> specVersions)
    {
        int deleted = delegate.deleteObject(collectionId, objectId, versions, specVersions);
        if (deleted > 0) {
            events.publishDeletion(collectionId, objectId);
        }
        return deleted;
    }

    @Override
    public long countObjects(String collectionId)
    {
        return delegate.countObjects(collectionId);
    }

    @Override
    public void saveStatus(TaxiiStatus status)
    {
        delegate.saveStatus(status);
    }

    @Override
    public Optional<TaxiiStatus> findStatus(String statusId)
    {
        return delegate.findStatus(statusId);
    }

    @Override
    public void addUser(UserAccount user)
    {
        delegate.addUser(user);
    }

    @Override
    public void updateUser(UserAccount user)
    {
        delegate.updateUser(user);
    }

    @Override
    public Optional<UserAccount> findUser(String name)
    {
        return delegate.findUser(name);
    }

    @Override
    public List<UserAccount> listUsers()
    {
        return delegate.listUsers();
    }

    @Override
    public void addToken(ApiToken token)
    {
        delegate.addToken(token);
    }

    @Override
    public Optional<ApiToken> findToken(String tokenId)
    {
        return delegate.findToken(tokenId);
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
