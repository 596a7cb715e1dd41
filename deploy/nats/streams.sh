#!/bin/sh
# Creates the mesh's JetStream streams with 3 replicas, or scales existing ones to 3.
#
# Why: a one-replica stream lives on a single NATS server: lose that server's disk and
# the accepted-but-unprocessed chat messages and send requests are gone. The services
# create missing streams with JETSTREAM_REPLICAS replicas and scale existing ones up at
# boot; when NATS refuses (too few servers up) they log an error and, with
# NATS_REQUIRE_STREAM_REPLICAS=true, stay not ready until this script (or a retry) has run. Safe to
# re-run. Needs the operator user (zs-admin): nats-box has it from values-auth.yaml.
#
# Run it where the `nats` CLI can reach the cluster, e.g. in nats-box:
#   kubectl -n nats exec -i deploy/nats-box -- env ZS_NAMESPACE=zs sh -s < deploy/nats/streams.sh
#
# Settings mirror libs/platform/src/mesh-streams.ts; keep them in step.
set -eu

NS="${ZS_NAMESPACE:-zs}"                       # the NAMESPACE of config.env
UP=$(printf '%s' "$NS" | tr '[:lower:]' '[:upper:]')
REPLICAS="${REPLICAS:-3}"

ensure() {   # name subjects max_age
  name=$1 subjects=$2 max_age=$3
  if nats stream info "$name" >/dev/null 2>&1; then
    echo "== $name exists: setting replicas to $REPLICAS"
    nats stream edit "$name" --replicas "$REPLICAS" --force
  else
    echo "== creating $name ($subjects, replicas $REPLICAS)"
    nats stream add "$name" \
      --subjects "$subjects" \
      --storage file \
      --retention limits \
      --discard old \
      --replicas "$REPLICAS" \
      --dupe-window 20m \
      --max-age "$max_age" \
      --max-msgs=-1 --max-bytes=-1 --max-msg-size=-1 \
      --max-msgs-per-subject=-1 --max-consumers=-1 \
      --no-allow-rollup --no-deny-delete --no-deny-purge \
      --defaults
  fi
  nats stream info "$name" | sed -n '/Cluster Information/,/^$/p'
}

# accepted chat messages waiting for lead-intake: 7 days
ensure "${UP}_CHAT_INBOUND" "${NS}.chat.inbound.>" 168h
# send requests waiting for notification: 7 days
ensure "${UP}_NOTIFY" "${NS}.notify.>" 168h
# domain events: 90 days
ensure "${UP}_EVENTS" "${NS}.events.>" 2160h

echo "done. Check: nats stream report"
