package org.vigie.screening;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import static java.util.Objects.requireNonNull;

/**
 * One loaded snapshot of a list: its name (UN, OFAC-SDN), the version the publisher gave it (the
 * generation date of the file) and its designations in file order.
 */
public record SanctionsList(String name, String version, String source, List<Designation> designations)
{
    public static final String UN = "UN";
    public static final String OFAC_SDN = "OFAC-SDN";

    public SanctionsList
    {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(source, "source is null");
        designations = List.copyOf(requireNonNull(designations, "designations is null"));
        Set<String> ids = new HashSet<>();
        for (Designation designation : designations) {
            if (!designation.list().equals(name)) {
                throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "designation " + designation.key() + " does not belong to list " + name);
            }
            if (!ids.add(designation.id())) {
                throw new VigieException(ErrorCode.INVALID_SANCTIONS_LIST, "list " + name + " from " + source + " has two designations with reference " + designation.id());
            }
        }
    }

    public long count(EntityType type)
    {
        return designations.stream().filter(designation -> designation.type() == type).count();
    }
}
