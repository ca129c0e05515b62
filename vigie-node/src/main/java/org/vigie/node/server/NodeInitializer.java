package org.vigie.node.server;

import org.vigie.node.config.NodeConfig;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * First-start setup of a node's store: a default collection when the store has none, and an
 * administrator with a generated password when it has no user. Idempotent: a later start changes nothing.
 */
public final class NodeInitializer
{
    private static final int PASSWORD_BYTES = 18;

    private NodeInitializer() {}

    /**
     * What the first start created. {@code administratorPassword} is present only on the start that
     * created the administrator; it is not stored anywhere (only its slow hash is), so it must be shown then.
     */
    public record Initialization(Optional<CollectionInfo> createdCollection, String administratorName, Optional<String> administratorPassword)
    {
        public Initialization
        {
            requireNonNull(createdCollection, "createdCollection is null");
            requireNonNull(administratorName, "administratorName is null");
            requireNonNull(administratorPassword, "administratorPassword is null");
        }

        @Override
        public String toString()
        {
            // Never print the password through toString: values end up in logs.
            return "Initialization[createdCollection=" + createdCollection + ", administratorName=" + administratorName + "]";
        }
    }

    public static Initialization initialize(ObjectStore store, NodeConfig config, PasswordHasher hasher, InstantSource clock)
    {
        requireNonNull(store, "store is null");
        requireNonNull(config, "config is null");
        requireNonNull(hasher, "hasher is null");
        requireNonNull(clock, "clock is null");
        Optional<CollectionInfo> created = createDefaultCollection(store, config);
        return initializeAdministrator(store, config, hasher, clock, created);
    }

    /**
     * Creates the default collection when the store has none. Runs before the node's features start, since
     * some of them (live detection) create collections of their own.
     */
    public static Optional<CollectionInfo> createDefaultCollection(ObjectStore store, NodeConfig config)
    {
        if (!store.listCollections().isEmpty()) {
            return Optional.empty();
        }
        CollectionInfo collection = CollectionInfo.of(UUID.randomUUID().toString(), config.defaultCollectionTitle());
        store.createCollection(collection);
        return Optional.of(collection);
    }

    /** Creates the administrator with a generated password when the store has no user. */
    public static Initialization initializeAdministrator(ObjectStore store, NodeConfig config, PasswordHasher hasher, InstantSource clock, Optional<CollectionInfo> created)
    {
        Optional<String> password = Optional.empty();
        if (store.listUsers().isEmpty()) {
            String generated = generatePassword();
            new UserAdministration(store, hasher, clock).createUser(config.administratorName(), generated, List.of(), List.of(), true);
            password = Optional.of(generated);
        }
        return new Initialization(created, config.administratorName(), password);
    }

    private static String generatePassword()
    {
        byte[] bytes = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
