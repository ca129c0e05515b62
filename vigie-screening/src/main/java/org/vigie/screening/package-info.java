/**
 * Sanctions screening. Entry points:
 * <ul>
 * <li>{@link org.vigie.screening.SanctionsLists}: load the shipped UN and OFAC snapshots or newer
 * files, and {@code diff} two snapshots;</li>
 * <li>{@link org.vigie.screening.Screener#create}: build a thread-safe screener from lists, then
 * {@link org.vigie.screening.Screener#screen} a {@link org.vigie.screening.ScreeningQuery} into
 * {@link org.vigie.screening.ScreeningResult}s, each with an {@link org.vigie.screening.Explanation};</li>
 * <li>{@link org.vigie.screening.ScreeningJson}: the JSON of POST /screening/match;</li>
 * <li>{@link org.vigie.screening.BatchScreening} and {@link org.vigie.screening.CompareScreening}:
 * the CSV runs behind {@code vigie screen batch} and {@code vigie screen compare};</li>
 * <li>{@link org.vigie.screening.DesignationStix}: designations as STIX 2.1 identity or threat-actor
 * objects;</li>
 * <li>{@link org.vigie.screening.Rescreening} over {@link org.vigie.screening.ScreenedRecords}
 * (in memory, or an append-only file with {@link org.vigie.screening.ScreenedRecords#file}):
 * re-screen remembered records after a list change and report new hits.</li>
 * </ul>
 * The scoring model and its measured quality are described in docs/SCREENING.md.
 */
package org.vigie.screening;
