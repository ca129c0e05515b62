/**
 * The TAXII 2.1 server. Entry points: {@link org.vigie.taxii.server.TaxiiServer#start}, its configuration
 * {@link org.vigie.taxii.server.TaxiiServerConfig}, and for further endpoints on the same server
 * {@link org.vigie.taxii.server.RouteContributor}, {@link org.vigie.taxii.server.Routes} and
 * {@link org.vigie.taxii.server.TaxiiErrors}. Partners reading under a release policy: the interface
 * {@link org.vigie.taxii.server.PartnerReads} (with {@link org.vigie.taxii.server.PartnerView} and
 * {@link org.vigie.taxii.server.ServedObject}), implemented outside this module.
 */
package org.vigie.taxii.server;
