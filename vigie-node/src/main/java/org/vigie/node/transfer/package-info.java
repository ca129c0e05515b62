/**
 * Moving STIX in and out of a store. Entry points: {@link org.vigie.node.transfer.BundleImporter}
 * (streaming, batched, reporting stored, duplicate and rejected objects) and
 * {@link org.vigie.node.transfer.BundleExporter} (one collection as a bundle).
 */
package org.vigie.node.transfer;
