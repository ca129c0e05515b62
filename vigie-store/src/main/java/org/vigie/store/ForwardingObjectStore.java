package org.vigie.store;

import org.vigie.stix.StixObject;
import org.vigie.store.events.EventLog;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An {@link ObjectStore} that forwards every call to another; subclasses override only the calls they
 * decorate (publishing events after a durable add, injecting faults in tests), so a method added to the
 * interface is forwarded in one place. Closing it closes the delegate.
 */
public abstract class ForwardingObjectStore
        implements ObjectStore
{
    private final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    protected final ObjectStore delegate()
    {
        return delegate;
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
        return delegate.addObjects(collectionId, objects);
    }

    @Override
    public ObjectPage findObjects(String collectionId, ObjectQuery query)
    {
        return delegate.findObjects(collectionId, query);
    }

    @Override
    public SerializedPage findSerializedObjects(String collectionId, ObjectQuery query)
    {
        return delegate.findSerializedObjects(collectionId, query);
    }

    @Override
    public int deleteObject(String collectionId, String objectId, VersionFilter versions, List<String> specVersions)
    {
        return delegate.deleteObject(collectionId, objectId, versions, specVersions);
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
    public EventLog events()
    {
        return delegate.events();
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
