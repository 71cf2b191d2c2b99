package io.auditrail.app.health;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/** PostgreSQL is ready when a fresh connection runs a query. */
public final class PostgresReadiness implements ReadinessCheck {
    private final String jdbcUrl;
    private final Properties props = new Properties();

    public PostgresReadiness(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "3");
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public void check() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, props);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select 1")) {
            if (!r.next()) {
                throw new IllegalStateException("select 1 returned no row");
            }
        }
    }
}
