package io.auditrail.app;

import io.auditrail.core.config.Settings;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings of the process itself rather than of a stage: where its HTTP endpoints listen. */
public final class AppConfig extends AbstractConfig {
    public static final String HTTP_LISTEN_ADDRESS = "http.listen.address";
    private static final String HTTP_LISTEN_ADDRESS_DOC = "host:port for /healthz, /readyz, /metrics (and the API "
            + "where the process serves it). Use 0.0.0.0:8080 in a container.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(HTTP_LISTEN_ADDRESS, Type.STRING, "127.0.0.1:8080", Importance.HIGH, HTTP_LISTEN_ADDRESS_DOC);

    public AppConfig(Settings settings) {
        super(DEFINITION, settings.asMap().entrySet().stream()
                .filter(e -> DEFINITION.names().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), false);
        httpAddress();
    }

    public InetSocketAddress httpAddress() {
        String v = getString(HTTP_LISTEN_ADDRESS);
        int colon = v.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(v.substring(colon + 1));
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(v.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new ConfigException(HTTP_LISTEN_ADDRESS, v, "expected host:port");
        }
    }
}
