/**
 * The event log: committed changes to collections, in order, for live streams, outbox delivery and matcher
 * updates. Entry points: {@link org.vigie.store.events.EventLog} (from {@code ObjectStore.events()}, or the
 * Kafka implementation), its values {@link org.vigie.store.events.Event}, {@link org.vigie.store.events.Cursor}
 * and {@link org.vigie.store.events.EventBatch}, and {@link org.vigie.store.events.PollingSubscriptions}, which
 * turns any log's {@code poll} into a {@link org.vigie.store.events.Subscription}.
 */
package org.vigie.store.events;
