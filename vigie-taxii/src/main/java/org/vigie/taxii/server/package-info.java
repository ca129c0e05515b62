/**
 * The TAXII 2.1 server. Entry points: {@link org.vigie.taxii.server.TaxiiServer#start}, its configuration
 * {@link org.vigie.taxii.server.TaxiiServerConfig}, and for further endpoints on the same server
 * {@link org.vigie.taxii.server.RouteContributor}, {@link org.vigie.taxii.server.Routes} and
 * {@link org.vigie.taxii.server.TaxiiErrors}.
 */
package org.vigie.taxii.server;
