package org.vigie.node.transfer;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
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

/** A fake store that delegates to a real one and fails every add after the first {@code successfulAdds}, like a full disk. */
final class FailingStore
        implements ObjectStore
{
    private final ObjectStore delegate;
    private int remainingAdds;

    FailingStore(ObjectStore delegate, int successfulAdds)
    {
        this.delegate = delegate;
        this.remainingAdds = successfulAdds;
    }

    @Override
    public synchronized List<AddOutcome> addObjects(String collectionId, List<StixObject> objects)
    {
        if (remainingAdds == 0) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "disk full while adding to collection " + collectionId);
        }
        remainingAdds--;
        return delegate.addObjects(collectionId, objects);
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
    public ObjectPage findObjects(String collectionId, ObjectQuery query)
    {
        return delegate.findObjects(collectionId, query);
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
    public void close()
    {
        delegate.close();
    }
}
