/**
 * The analyst console: a web application served by the node itself. Entry points:
 * {@link org.vigie.console.ConsoleRoutes#create} (the {@link org.vigie.taxii.server.RouteContributor}
 * serving the files at {@code /} and the JSON API under {@code /console/api/}),
 * {@link org.vigie.console.ObjectEvents} (the in-process publisher of stored, received and released
 * objects behind the live feed) and {@link org.vigie.console.ObservedObjectStore} (a store wrapper
 * that publishes after each add), {@link org.vigie.console.ConsoleExchange} (what the Sharing
 * screens need from the node's exchange, given to {@link org.vigie.console.ConsoleRoutes#withExchange}),
 * {@link org.vigie.console.ConsoleConfig} (the {@code console.*} keys: users' marking
 * {@link org.vigie.console.Clearance}s), {@link org.vigie.console.SearchDatabase} (where the persistent
 * search index lives: {@code search.db} beside an SQLite store, or the schema {@code vigie_search} of the
 * store's PostgreSQL database; filled in the background from the store's event log). The live feed reads the
 * store's event log and the exchange's audit ledger (releases and recalls) behind one cursor, so it resumes
 * after a reconnect (SSE {@code Last-Event-ID}) on any replica sharing the database; over a log of many
 * positions (Kafka) its ids are short ids of bases kept in the search index's database (FeedPositions), so
 * their length does not grow with the number of collections. The browser code is plain
 * JavaScript modules in
 * {@code src/main/resources/org/vigie/console/static/}, with no build step and no external resource.
 */
package org.vigie.console;
