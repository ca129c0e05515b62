/**
 * STIX 2.1 validation. Entry point: {@link org.vigie.stix.validation.StixValidator#create()}; results
 * are {@link org.vigie.stix.validation.Violation}s whose rule names are listed in
 * {@link org.vigie.stix.validation.Rules}.
 */
package org.vigie.stix.validation;
