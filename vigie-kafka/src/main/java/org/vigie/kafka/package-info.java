/**
 * Vigie on Apache Kafka. Entry points: {@link org.vigie.kafka.KafkaEventLogs} (a relaying, a replicated or a
 * reading {@link org.vigie.kafka.KafkaEventLog}; a replicated log relays while its
 * {@link org.vigie.kafka.RelayLeadership} from {@link org.vigie.kafka.RelayLeaderships} says so) and its
 * configuration {@link org.vigie.kafka.KafkaConfig}; for scaled-out
 * matching ({@code vigie match-worker}), {@link org.vigie.kafka.ObservationLog} (observations in),
 * {@link org.vigie.kafka.MatchWorker#start} with {@link org.vigie.kafka.MatchWorkerConfig} and an
 * {@link org.vigie.kafka.IndicatorSource} from {@link org.vigie.kafka.IndicatorSources}, and
 * {@link org.vigie.kafka.SightingLog#startStoring} (sightings out, into the node's store); for a node's readiness
 * and metrics, {@link org.vigie.kafka.KafkaHealth}.
 */
package org.vigie.kafka;
