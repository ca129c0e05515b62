/**
 * The event log on Apache Kafka. Entry points: {@link org.vigie.kafka.KafkaEventLogs} (a relaying or a reading
 * {@link org.vigie.kafka.KafkaEventLog}), {@link org.vigie.kafka.ObservationLogs} (the observations topic of the
 * matching workers) and their configuration {@link org.vigie.kafka.KafkaConfig}.
 */
package org.vigie.kafka;
