package org.vigie.stix.validation;

import org.vigie.stix.ObjectCategory;
import org.vigie.stix.StixTypes;

import java.util.EnumSet;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** The object types a {@code _ref} or {@code _refs} property may point at. */
record ReferenceTarget(Set<String> types, Set<ObjectCategory> categories, String description)
{
    static final ReferenceTarget ANY = new ReferenceTarget(Set.of(), EnumSet.allOf(ObjectCategory.class), "any STIX object");

    ReferenceTarget
    {
        types = Set.copyOf(requireNonNull(types, "types is null"));
        categories = Set.copyOf(requireNonNull(categories, "categories is null"));
        requireNonNull(description, "description is null");
    }

    /**
     * Parses a target list: type names, or the categories {@code <sdo>}, {@code <sro>}, {@code <sco>},
     * {@code <meta>}, {@code <custom>}.
     */
    static ReferenceTarget of(String... targets)
    {
        Set<String> types = new java.util.LinkedHashSet<>();
        Set<ObjectCategory> categories = EnumSet.noneOf(ObjectCategory.class);
        StringBuilder description = new StringBuilder();
        for (String target : targets) {
            if (description.length() > 0) {
                description.append(" or ");
            }
            switch (target) {
                case "<sdo>" -> {
                    categories.add(ObjectCategory.SDO);
                    description.append("an SDO");
                }
                case "<sro>" -> {
                    categories.add(ObjectCategory.SRO);
                    description.append("an SRO");
                }
                case "<sco>" -> {
                    categories.add(ObjectCategory.SCO);
                    description.append("an SCO");
                }
                case "<meta>" -> {
                    categories.add(ObjectCategory.META);
                    description.append("a meta object");
                }
                case "<custom>" -> {
                    categories.add(ObjectCategory.CUSTOM);
                    description.append("a custom object");
                }
                default -> {
                    types.add(target);
                    description.append(target);
                }
            }
        }
        return new ReferenceTarget(types, categories, description.toString());
    }

    boolean allows(String type)
    {
        return types.contains(type) || categories.contains(StixTypes.category(type));
    }
}
