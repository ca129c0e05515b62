/**
 * Live detection: a collection's indicators matched against observations POSTed to the node, sightings
 * stored and served over TAXII. Entry points: {@link org.vigie.detection.DetectionService#create},
 * {@link org.vigie.detection.DetectionService#routes}, {@link org.vigie.detection.DetectionService#refresh()},
 * {@link org.vigie.detection.DetectionService#onObjectsAdded}, {@link org.vigie.detection.DetectionService#onObjectDeleted},
 * {@link org.vigie.detection.DetectionConfig#fromProperties}, and {@link org.vigie.detection.ObservationPublisher}, where
 * ingest sends observations to the Kafka matching workers instead ({@code detection.ingest=kafka}).
 *
 * <p>Only the observations that produced a sighting are stored (with the cyber-observables they reference),
 * in the sightings collection next to the sightings, so that every {@code observed_data_refs} resolves there;
 * observations that matched nothing are not kept.
 */
package org.vigie.detection;
