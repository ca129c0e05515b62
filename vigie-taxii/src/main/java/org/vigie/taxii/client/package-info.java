/**
 * A TAXII 2.1 client. Entry point: {@link org.vigie.taxii.client.TaxiiClient#builder}, with
 * {@link org.vigie.taxii.client.ClientCredentials}, {@link org.vigie.taxii.client.RetryPolicy},
 * {@link org.vigie.taxii.client.Sleeper} and the query {@link org.vigie.taxii.client.ObjectsQuery}.
 */
package org.vigie.taxii.client;
