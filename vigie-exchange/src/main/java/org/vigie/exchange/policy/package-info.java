/**
 * Release policy, enforced at every egress (push, partner TAXII reads, export, re-release).
 * Entry points: {@link org.vigie.exchange.policy.ReleasePolicy} (declarative rules, JSON),
 * {@link org.vigie.exchange.policy.ReleaseDecider} (one object, one partner: hard rules then policy),
 * {@link org.vigie.exchange.policy.ReleasePlanner} (a set of objects for one or many partners, with
 * references to withheld objects cut), {@link org.vigie.exchange.policy.PartnerVisibility} (what one
 * partner may see of objects at rest in the store, decided as a release of the collection would).
 */
package org.vigie.exchange.policy;
