/**
 * The versioned object store. Entry points: {@link org.vigie.store.ObjectStores} (in-memory, SQLite, or
 * from a {@link org.vigie.store.StoreConfig}), returning an {@link org.vigie.store.ObjectStore}, and its
 * query values ({@link org.vigie.store.ObjectQuery}, {@link org.vigie.store.VersionFilter}) and pages
 * ({@link org.vigie.store.ObjectPage}, and {@link org.vigie.store.SerializedPage} for serving stored JSON as it is); for modules with
 * their own tables beside the store's, {@link org.vigie.store.PostgresSchemaPool} and
 * {@link org.vigie.store.ModuleMigrations}, and {@link org.vigie.store.ObjectIdHash} to key rows by id as the store does.
 */
package org.vigie.store;
