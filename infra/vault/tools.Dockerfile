# The Vault tooling image used by the compose stack's one-shot services (transit-init, vault-bootstrap,
# vault-snapshot) and by operators (add-tenant, restore): the Vault CLI plus bash, curl, jq, age and
# the AWS CLI, with infra/vault/scripts and policies at /infra/vault (compose mounts the working tree
# over them; Kubernetes runs the baked copy). Build context: infra/vault.
ARG VAULT_VERSION=1.21.7
FROM hashicorp/vault:${VAULT_VERSION}
# hadolint ignore=DL3018
RUN apk add --no-cache bash curl jq age aws-cli coreutils
COPY scripts/ /infra/vault/scripts/
COPY policies/ /infra/vault/policies/
# Runs as root: these short-lived clients write 0600 files into named volumes and into the
# bind-mounted infra/vault/secrets/ whose host owner varies. They expose no port.
ENTRYPOINT ["/bin/bash"]
