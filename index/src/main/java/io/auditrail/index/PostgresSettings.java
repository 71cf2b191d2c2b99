package io.auditrail.index;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * Where the index lives and how the stage connects to it.
 *
 * @param url            JDBC URL ({@code postgres.url})
 * @param user           {@code postgres.user}
 * @param password       {@code postgres.password}, empty for trust or peer authentication
 * @param poolSize       connections kept at most
 * @param connectTimeout how long a caller waits for a connection before the attempt fails
 * @param socketTimeout  a call silent for this long is abandoned; zero waits forever
 */
public record PostgresSettings(String url, String user, String password, int poolSize, Duration connectTimeout,
                               Duration socketTimeout) {

    @Override
    public String toString() {
        return "PostgresSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]"; // no password
    }

    /**
     * A pool that starts even while PostgreSQL is down (the stage retries), and hands out connections that
     * give up on a dead server within {@link #socketTimeout()}.
     */
    public HikariDataSource pool(String name) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(url);
        c.setUsername(user);
        if (password != null && !password.isEmpty()) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(poolSize);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(connectTimeout.toMillis());
        c.setValidationTimeout(Math.min(connectTimeout.toMillis(), 5_000));
        c.setInitializationFailTimeout(-1);
        c.addDataSourceProperty("ApplicationName", name);
        c.addDataSourceProperty("tcpKeepAlive", "true");
        c.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        c.addDataSourceProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        return new HikariDataSource(c);
    }
}
