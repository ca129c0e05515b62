/**
 * Data markings that govern release: TLP 2.0 (TLP 1.0 ids mapped), and the Vigie handling extension
 * (SIENA handling codes H0-H3, PAP, evaluation code, named recipients, expiry).
 * Entry points: {@link org.vigie.exchange.marking.Markings#of}, {@link org.vigie.exchange.marking.MarkingResolver},
 * {@link org.vigie.exchange.marking.VigieMarking} (builds and reads the extension).
 */
package org.vigie.exchange.marking;
