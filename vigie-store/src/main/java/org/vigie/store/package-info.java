/**
 * The versioned object store. Entry points: {@link org.vigie.store.ObjectStore} and its query values
 * ({@link org.vigie.store.ObjectQuery}, {@link org.vigie.store.VersionFilter}); implementations are
 * created by {@code ObjectStores}.
 */
package org.vigie.store;
