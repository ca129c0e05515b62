/**
 * Live detection: a collection's indicators matched against observations POSTed to the node, sightings
 * stored and served over TAXII. Entry points: {@link org.vigie.detection.DetectionService#create},
 * {@link org.vigie.detection.DetectionService#routes}, {@link org.vigie.detection.DetectionConfig#fromProperties}.
 */
package org.vigie.detection;
