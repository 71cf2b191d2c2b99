# syntax=docker/dockerfile:1
# The auditrail image: one image for every stage (`docker run auditrail:dev <command>`), see
# docker-compose.yml and infra/k8s/auditrail/. Build: docker build -t auditrail:dev .

# ---- build ----------------------------------------------------------------------------------------
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven repository is a build cache, not a layer.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -q -DskipTests package -pl app -am \
 && mkdir -p /out \
 && cp app/target/auditrail.jar /out/ \
 && cp -r app/target/lib /out/lib

# ---- runtime --------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
ARG UID=10001
RUN groupadd --system --gid "${UID}" auditrail \
 && useradd --system --uid "${UID}" --gid auditrail --home-dir /var/lib/auditrail --shell /usr/sbin/nologin auditrail \
 && mkdir -p /opt/auditrail /var/lib/auditrail \
 && chown auditrail:auditrail /var/lib/auditrail
# jar + lib/ side by side: the manifest's Class-Path names lib/...
COPY --from=build /out/ /opt/auditrail/
COPY infra/docker/healthcheck.sh /opt/auditrail/bin/healthcheck
RUN chmod 0755 /opt/auditrail/bin/healthcheck
USER auditrail:auditrail
WORKDIR /var/lib/auditrail
# State (ingest spool, streams state) lives under /var/lib/auditrail: mount a volume there.
VOLUME ["/var/lib/auditrail"]
# 9090: ingest's socket audit device listener; 8080: API (serve) and /healthz /readyz /metrics (all).
EXPOSE 8080 9090
HEALTHCHECK --interval=15s --timeout=6s --start-period=60s --retries=3 CMD ["/opt/auditrail/bin/healthcheck"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/auditrail/auditrail.jar"]
CMD ["--help"]
