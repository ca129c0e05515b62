package org.vigie.exchange.database;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on the connection of one transaction. */
@FunctionalInterface
public interface SqlWork<T>
{
    T run(Connection connection)
            throws SQLException;
}
