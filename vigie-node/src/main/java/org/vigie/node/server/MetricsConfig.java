package org.vigie.node.server;

import org.vigie.config.ConfigurationValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The {@code metrics.*} keys: {@code metrics.event-log-consumers}, a comma-separated list of event-log consumer
 * names (cursors saved in the store's log, such as a Kafka relay's) whose lag {@code /metrics} reports; none by
 * default.
 */
public record MetricsConfig(List<String> eventLogConsumers)
{
    public static final String EVENT_LOG_CONSUMERS = "metrics.event-log-consumers";
    private static final Set<String> KEYS = Set.of(EVENT_LOG_CONSUMERS);

    public MetricsConfig
    {
        eventLogConsumers = List.copyOf(requireNonNull(eventLogConsumers, "eventLogConsumers is null"));
    }

    public static MetricsConfig defaults()
    {
        return new MetricsConfig(List.of());
    }

    /** Reads the {@code metrics.*} keys among all the node's keys; unknown {@code metrics.*} keys are errors. */
    public static MetricsConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        ConfigurationValues.of(properties).rejectUnknownKeys("metrics.", KEYS);
        List<String> consumers = new ArrayList<>();
        String text = properties.getOrDefault(EVENT_LOG_CONSUMERS, "").strip();
        if (!text.isEmpty()) {
            for (String name : text.split(",", -1)) {
                if (name.isBlank()) {
                    throw ConfigurationValues.invalid(EVENT_LOG_CONSUMERS, text, "has an empty consumer name");
                }
                consumers.add(name.strip());
            }
        }
        return new MetricsConfig(consumers);
    }
}
