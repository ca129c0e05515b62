/**
 * The release policy at the TAXII egress and at export: partners reading this node's TAXII endpoints
 * (by their pinned client certificate, or as a node user linked to a partner) see exactly what the
 * policy releases to them, and every read is appended to the audit ledger. Entry point:
 * {@link org.vigie.exchange.reads.PolicyPartnerReads#create}, an implementation of the TAXII server's
 * {@link org.vigie.taxii.server.PartnerReads}.
 */
package org.vigie.exchange.reads;
