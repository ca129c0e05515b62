/**
 * The event log on Apache Kafka. Entry points: {@link org.vigie.kafka.KafkaEventLogs} (a relaying or a reading
 * {@link org.vigie.kafka.KafkaEventLog}) and its configuration {@link org.vigie.kafka.KafkaConfig}.
 */
package org.vigie.kafka;
