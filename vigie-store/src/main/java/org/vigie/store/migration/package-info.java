/**
 * Copying a whole store between databases (SQLite to PostgreSQL for scale-out). Entry point:
 * {@link org.vigie.store.migration.StoreMigration#copy}, answering a
 * {@link org.vigie.store.migration.MigrationSummary}.
 */
package org.vigie.store.migration;
